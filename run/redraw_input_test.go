package run

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRedrawNotADirectory: evonas report of a path that does not exist, or
// of a file, says so in one line, as an input error.
func TestRedrawNotADirectory(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "summary.json")
	if err := os.WriteFile(file, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dir, want string }{
		{filepath.Join(tmp, "nosuch"), filepath.Join(tmp, "nosuch") + ": no such directory"},
		{file, file + " is a file, not a run directory (the directory is " + tmp + ")"},
	} {
		_, err := Redraw(c.dir, io.Discard)
		var ie *InputError
		if err == nil || err.Error() != c.want || !errors.As(err, &ie) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Redraw(%s): %v, want the input error %q", c.dir, err, c.want)
		}
	}
}
