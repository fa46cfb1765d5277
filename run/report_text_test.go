package run

import (
	"strconv"
	"strings"
	"testing"
)

// TestDirReport prints the report of a run still being written.
func TestDirReport(t *testing.T) {
	dir := copyDir(t, "testdata/live")
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := d.Records()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := d.Report(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], dir+": ") || !strings.HasSuffix(lines[0], ", "+strconv.Itoa(len(recs))+" evaluations") {
		t.Fatalf("want the status line and four plots, got:\n%s", b.String())
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "wrote "+dir) {
			t.Errorf("%q: not a file of the run directory", l)
		}
	}
}
