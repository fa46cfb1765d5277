//go:build unix

package queue

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process of this host has the PID: the
// signal 0 checks without sending anything (EPERM: it is someone else's).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
