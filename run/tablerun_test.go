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

// TestTableRun: a random run on a shipped table named by the config's
// data.table spends the config's budget and names the table; a table file
// that does not exist is an error of its path.
func TestTableRun(t *testing.T) {
	cfg := configs.Default()
	cfg.Data.Table, cfg.Budget.Evaluations = "spirals_mlp", 7
	dir := filepath.Join(t.TempDir(), "run")
	r := &TableRun{Config: cfg, Source: "default", Strategy: Random, Dir: dir, Command: "test"}
	sum, name, err := r.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if name != "spirals_mlp" || sum.Evaluations != 7 || sum.Dir != dir || sum.Strategy != Random {
		t.Errorf("got table %q, %d evaluations into %s by %s; want spirals_mlp, 7 into %s by %s", name, sum.Evaluations, sum.Dir, sum.Strategy, dir, Random)
	}
	r = &TableRun{Table: filepath.Join(t.TempDir(), "none.csv"), Config: cfg, Strategy: Random}
	if _, _, err := r.Run(context.Background()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing table: %v, want fs.ErrNotExist", err)
	}
}

// TestOpenTableMissing checks that a table that is neither a file nor a
// shipped table is the user's mistake, said in words: no such file, and,
// for a bare name, which tables ship.
func TestOpenTableMissing(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"spirals", "table spirals: no such file, and no shipped table of that name (shipped: digits_mlp, satellite_mlp, spirals_mlp)"},
		{filepath.Join(t.TempDir(), "none.csv"), "none.csv: no such file"},
	} {
		_, err := OpenTable(tc.name)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("OpenTable(%q): %v, want an *InputError with %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "no shipped table") != !strings.ContainsRune(tc.name, filepath.Separator) {
			t.Errorf("OpenTable(%q): %v: a path is no shipped table's name", tc.name, err)
		}
	}
}
