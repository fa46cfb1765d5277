//go:build unix

package run

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// lockDir takes a run directory for this process: an exclusive lock on its
// evaluations.jsonl, which the kernel drops when the process ends, however
// it ends. A directory another process holds (a run and its resume at
// once, say) is refused, before anything is written.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, EvaluationsFile), os.O_CREATE|os.O_RDONLY, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, inputf("run directory %s is in use by another evonas process; wait for it to end, or stop it", dir)
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}
