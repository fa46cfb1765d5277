//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package run

import (
	"errors"
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on the run directory dir until the
// returned function is called or the process ends, however it ends: two
// processes appending to one run's logs (a resume of a run still running)
// would log its evaluations twice. The lock is the directory's own, so no
// file is left behind by a killed process.
func lockDir(dir string) (func(), error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, inputf("%s: another evonas process is running this search; wait for it to end, or stop it, before resuming", dir)
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}
