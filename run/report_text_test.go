package run

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
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

// TestRedraw draws a search's and a table comparison's reports again, and
// refuses a directory that is neither.
func TestRedraw(t *testing.T) {
	var b strings.Builder
	if sum, err := Redraw(copyDir(t, "testdata/live"), &b); sum != nil || err != nil || !strings.Contains(b.String(), "wrote ") {
		t.Errorf("a search: %v, %v, printed %q; want nil, nil and the plots written", sum, err, b.String())
	}

	tc := &TableComparison{Kind: KindCompare, Title: "Comparison", Variants: []Variant{{Name: "default", Config: configs.Default()}},
		Table: "spirals_mlp", Seeds: 2, Budget: 10, Dir: filepath.Join(t.TempDir(), "cmp")}
	tab, err := tc.Open()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tc.Run(context.Background(), tab); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(tc.Dir, ReportFile)
	if err := os.Remove(report); err != nil {
		t.Fatal(err)
	}
	sum, err := Redraw(tc.Dir, &b)
	if ts, ok := sum.(*TableComparisonSummary); !ok || err != nil || ts.Title != "Comparison on table spirals_mlp" {
		t.Errorf("a table comparison: %T %v, %v; want its summary", sum, sum, err)
	}
	if _, err := os.Stat(report); err != nil {
		t.Errorf("report.md not drawn again: %v", err)
	}

	if _, err := Redraw(t.TempDir(), &b); err == nil || !strings.Contains(err.Error(), "nor a comparison (no summary.json)") {
		t.Errorf("an empty directory: %v", err)
	}
}
