package export

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWrite: all files or none. A path that cannot take a file (here a
// pipe, as /dev/null would be) stops the export before anything is written,
// and an existing regular file is replaced.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	a, b, fifo := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "fifo")
	mkfifo(t, fifo)
	if err := os.WriteFile(b, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write([]File{{Path: a, Data: []byte("A")}, {Path: fifo, Data: []byte("F")}})
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("writing over a pipe: err %v, want not a regular file", err)
	}
	if _, err := os.Stat(a); !os.IsNotExist(err) {
		t.Errorf("%s written although the export failed", a)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced")
	}
	if err := Write([]File{{Path: a, Data: []byte("A")}, {Path: b, Data: []byte("B")}}); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{a: "A", b: "B"} {
		if got, _ := os.ReadFile(path); string(got) != want {
			t.Errorf("%s holds %q, want %q", path, got, want)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 3 {
		t.Errorf("%d entries in the directory, want a, b and the pipe (no temporary file left)", len(ents))
	}
}

// TestWriteNamesPath: a write that fails names the file asked for, not
// the temporary file it went through, and keeps its cause.
func TestWriteNamesPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nodir", "m.onnx")
	err := Write([]File{{Path: path, Data: []byte("M")}})
	if err == nil || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), ".tmp") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("writing in a missing directory: %v; want an error naming %s, not its temporary file, and fs.ErrNotExist", err, path)
	}
}
