//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package run

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// lockDir takes an exclusive lock on the run directory dir until the
// returned function is called or the process ends, however it ends: two
// processes appending to one run's logs (a resume of a run still running)
// would log its evaluations twice. The lock is the directory's own, so no
// file is left behind by a killed process. A reader asking whether the
// run is running (held) takes a shared lock for an instant: lockDir waits
// for it, up to a tenth of a second, rather than refuse.
func lockDir(dir string) (func(), error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(100 * time.Millisecond)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, inputf("%s: another evonas process is running this search; wait for it to end, or stop it, before resuming", dir)
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}

// held reports whether a process (this one included) holds dir's lock,
// that is whether a search or comparison is running there; ok is false
// when it cannot tell (dir cannot be opened).
func held(dir string) (locked, ok bool) {
	f, err := os.Open(dir)
	if err != nil {
		return false, false
	}
	defer f.Close() // releases the shared lock
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, true
	}
	return false, err == nil
}
