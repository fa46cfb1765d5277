//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package run

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResumeWhileRunning checks that a search whose directory another
// process is writing (here: holds the lock) is refused with an input
// error before a line is written, and runs once the lock is released.
// Two processes appending to the same logs logged every evaluation twice.
func TestResumeWhileRunning(t *testing.T) {
	cfg := smallConfig(t)
	dir := filepath.Join(t.TempDir(), "run")
	s, err := New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("run"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Observer = &counter{stop: 1, cancel: cancel}
	if _, _, err := s.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("run cancelled after generation 1: %v, want context.Canceled", err)
	}
	logged := func() []byte {
		b, err := os.ReadFile(filepath.Join(dir, EvaluationsFile))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	before := logged()

	// Refused by Reopen, before a resume says it resumes.
	unlock, err := lockDir(dir) // the other process
	if err != nil {
		t.Fatal(err)
	}
	_, err = Reopen(dir, cfg, 0)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "another evonas process") {
		t.Errorf("reopen of a locked run: %v, want an input error saying another process runs it", err)
	}
	unlock()
	// And by Run, when the other process starts in between.
	r, err := Reopen(dir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if unlock, err = lockDir(dir); err != nil {
		t.Fatal(err)
	}
	_, _, err = r.Run(context.Background())
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "another evonas process") {
		t.Errorf("resume of a locked run: %v, want an input error saying another process runs it", err)
	}
	if after := logged(); !bytes.Equal(after, before) {
		t.Errorf("refused resume changed evaluations.jsonl (%d bytes, was %d)", len(after), len(before))
	}
	unlock()

	if _, _, err := r.Run(context.Background()); err != nil {
		t.Fatalf("resume once the lock is released: %v", err)
	}
	if d, err := Open(dir); err != nil {
		t.Fatal(err)
	} else if st, err := d.Status(); st != Finished || err != nil {
		t.Errorf("status after the resume %q, %v; want finished", st, err)
	}
}
