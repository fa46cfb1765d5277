//go:build unix

package model_test

import (
	"syscall"
	"testing"
)

// mkfifo makes a named pipe at path, a file that stands for a device such
// as /dev/null.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}
