package run

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/table"
)

// TestTableBuildLaunch builds a table of a grid of two configurations: the
// display is told the build, then each configuration done; the table reads
// back with every row; a build whose check fails opens nothing.
func TestTableBuildLaunch(t *testing.T) {
	cfg, err := configs.Parse([]byte(`data: {name: iris}
search_space:
  layers: {min: 1, max: 1}
  width: {choices: [4, 8]}
  activations: [relu]
  lr: {choices: [0.01]}
  lr_schedule: [const]
  batch: [32]
  dropout: {min: 0, max: 0}
  optimizers: [adam]
training: {epochs: 1, patience: 0}
`), "grid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "grid.csv.gz")
	b := &TableBuild{Config: cfg, Source: "grid.yaml", Out: out, BuildOptions: table.BuildOptions{Repeats: 1, MaxRows: 10}}
	d := &recorder{}
	tb, err := b.Launch(context.Background(), Setup{Display: d})
	if err != nil {
		t.Fatal(err)
	}
	if tb.Len() != 2 || tb.Repeats != 1 {
		t.Errorf("table of %d rows x %d repeats, want 2 x 1", tb.Len(), tb.Repeats)
	}
	if want := "say building " + out + ": 2 configurations x 1 repeats on iris"; len(d.calls) < 2 || d.calls[0] != want ||
		!strings.HasPrefix(d.calls[len(d.calls)-1], "say 2/2 configurations (") {
		t.Errorf("display told %q; want %q first and 2/2 configurations last", d.calls, want)
	}
	// Out exists now: Check refuses before the display hears anything.
	d = &recorder{}
	if _, err := b.Launch(context.Background(), Setup{Display: d}); err == nil || !strings.Contains(err.Error(), "exists") || len(d.calls) != 0 {
		t.Errorf("a second build into %s: %v, display told %q; want an error saying it exists, nothing told", out, err, d.calls)
	}
}
