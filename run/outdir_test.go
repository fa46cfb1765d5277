package run

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestOutDirIsAFile: --out naming an existing file is refused as such,
// and the file is left as it was.
func TestOutDirIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "afile")
	if err := os.WriteFile(file, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := prepareRunDir(file)
	want := "output directory " + file + " is a file; choose another --out"
	var ie *InputError
	if err == nil || err.Error() != want || !errors.As(err, &ie) {
		t.Errorf("prepareRunDir(a file): %v, want the input error %q", err, want)
	}
	if b, _ := os.ReadFile(file); string(b) != "x\n" {
		t.Errorf("the file now holds %q", b)
	}
}
