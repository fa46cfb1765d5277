package run

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
)

// A strategy other than GA or Random used to be accepted, run as an
// evolution and written into run.json with no kind, which nothing could
// read or resume.
func TestNewUnknownStrategy(t *testing.T) {
	cfg := configs.Default()
	cfg.Data.Name = "xor"
	for _, strategy := range []string{"", "gaa", "Random"} {
		if _, err := New(cfg, strategy, 0, filepath.Join(t.TempDir(), "run")); err == nil {
			t.Errorf("New with strategy %q: no error", strategy)
		}
	}
	for _, strategy := range []string{GA, Random} {
		if _, err := New(cfg, strategy, 0, filepath.Join(t.TempDir(), "run")); err != nil {
			t.Errorf("New with strategy %q: %v", strategy, err)
		}
	}
}

// Data that cannot be found is an InputError that still says so to
// errors.Is, as dataset's are.
func TestLoadDataNotExist(t *testing.T) {
	_, err := LoadData(filepath.Join(t.TempDir(), "nosuch.csv"), DataOptionsOf(configs.Default()))
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v (%T), want an *InputError", err, err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false, want true", err)
	}
	if want := "no such file, and no built-in data set of that name"; !strings.Contains(err.Error(), want) {
		t.Errorf("got %q, want it to say %q", err, want)
	}
}

// Run of a new search whose directory Create has not made said only
// "open DIR: no such file or directory".
func TestRunWithoutCreate(t *testing.T) {
	cfg := configs.Default()
	cfg.Data.Name = "xor"
	s, err := New(cfg, GA, 0, filepath.Join(t.TempDir(), "run"))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "Create makes") {
		t.Errorf("got %v, want an error saying Create makes the directory", err)
	}
}

// Asking a directory for the wrong kind of summary says which method reads
// its summary; it said "DIR: a evolve, whose summary is not this one".
func TestWrongSummaryNamesMethod(t *testing.T) {
	cmp, tab := t.TempDir(), t.TempDir()
	if err := writeJSON(filepath.Join(cmp, InfoFile), Info{Version: InfoVersion, Kind: KindCompare}); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(filepath.Join(tab, InfoFile), Info{Version: InfoVersion, Kind: KindCompare, Table: "spirals_mlp"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir  string
		read func(*Dir) error
		want string
	}{
		{"testdata/live", func(d *Dir) error { _, err := d.ComparisonSummary(); return err }, "Dir.Summary"},
		{"testdata/live", func(d *Dir) error { _, err := d.TableSummary(); return err }, "Dir.Summary"},
		{cmp, func(d *Dir) error { _, err := d.Summary(); return err }, "Dir.ComparisonSummary"},
		{tab, func(d *Dir) error { _, err := d.ComparisonSummary(); return err }, "Dir.TableComparisonSummary"},
	} {
		d, err := Open(tc.dir)
		if err != nil {
			t.Fatal(err)
		}
		err = tc.read(d)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an InputError naming %s", tc.dir, err, tc.want)
		}
	}
}

// Run of a new comparison whose directory Create has not made used to run
// every search into a directory without run.json, which nothing could read
// as a comparison or resume, and skipped Create's checks of the seeds.
func TestComparisonRunWithoutCreate(t *testing.T) {
	cfg := configs.Default()
	cfg.Data.Name = "xor"
	cfg.Evolution.Population = 4
	c, err := NewComparison(KindCompare, "c", []Variant{{Name: "ga", Config: cfg}}, 1, 4, filepath.Join(t.TempDir(), "cmp"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "Create makes") {
		t.Errorf("got %v, want an error saying Create makes the directory", err)
	}
}
