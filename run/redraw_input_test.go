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

// TestRedrawUnfinishedComparison: evonas report of a comparison that has
// not written its summary yet (interrupted, or still running) said it was
// "not a comparison directory"; it says the comparison is not finished
// and how to continue it.
func TestRedrawUnfinishedComparison(t *testing.T) {
	dir := t.TempDir()
	if err := writeJSON(filepath.Join(dir, InfoFile), Info{Version: 1, Kind: KindCompare, Command: "evonas compare", Seeds: 2, Budget: 10}); err != nil {
		t.Fatal(err)
	}
	_, err := Redraw(dir, io.Discard)
	var ie *InputError
	if err == nil || !errors.As(err, &ie) || strings.Contains(err.Error(), "not a comparison") ||
		!strings.Contains(err.Error(), "not finished") || !strings.Contains(err.Error(), "evonas resume "+dir) {
		t.Errorf("Redraw of an unfinished comparison: %v, want an input error saying it is not finished and how to resume it", err)
	}
}
