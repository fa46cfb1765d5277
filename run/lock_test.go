//go:build unix

package run

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestRunDirInUse: a search whose run directory another process holds (a
// run and its resume at once) is refused before it writes anything; it once
// ran beside the other, both appending to the same logs.
func TestRunDirInUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	s, err := New(smallConfig(t), GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("evonas evolve --config small.yaml"); err != nil {
		t.Fatal(err)
	}
	// The other process's lock (flock locks are per open file, so this
	// one holds against a second open in this process too).
	unlock, err := lockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Run(context.Background())
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Errorf("a search in a directory in use: %v, want an input error", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ConfigFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s written by the refused search (%v)", ConfigFile, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, EvaluationsFile)); err != nil || len(b) != 0 {
		t.Errorf("%s: %d bytes (%v), want none", EvaluationsFile, len(b), err)
	}
	unlock()
	if _, _, err := s.Run(context.Background()); err != nil {
		t.Errorf("the search once the directory is free: %v", err)
	}
}
