package run

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/evonas/evonas/configs"
)

func TestCommandLine(t *testing.T) {
	got := CommandLine([]string{"/usr/bin/evonas-dev", "evolve", "--config", "my file.yaml", "--out", "it's", "--data", ""})
	want := `evonas evolve --config 'my file.yaml' --out 'it'\''s' --data ''`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestBatchNotes(t *testing.T) {
	cfg := configs.Default()
	cfg.SearchSpace.Batch = []int{16, 64, 256}
	notes := BatchNotes(cfg, 64)
	want := []string{"search_space.batch 256 is more than the 64 training rows; it trains as one batch of 64"}
	if !reflect.DeepEqual(notes, want) {
		t.Errorf("got %q, want %q", notes, want)
	}
}

func TestOwnSplit(t *testing.T) {
	cfg := configs.Default()
	cfg.Data.Name = "seed-sum"
	OwnSplit(&cfg)
	if s := cfg.Data.Split; s == configs.Default().Data.Split {
		t.Errorf("seed-sum keeps the default split %+v; want its own", s)
	}
	custom := configs.Split{Train: 0.5, Val: 0.25, Test: 0.25}
	cfg.Data.Split = custom
	OwnSplit(&cfg)
	if cfg.Data.Split != custom {
		t.Errorf("a split the config sets changed to %+v", cfg.Data.Split)
	}
}

func TestGuess(t *testing.T) {
	dir := t.TempDir()
	runDir, plainDir := filepath.Join(dir, "run"), filepath.Join(dir, "plain")
	for _, d := range []string{runDir, plainDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{"run/run.json": "{}", "c.YML": "", "d.csv.gz": "", "m.json": "", "notes.txt": ""}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ arg, want string }{
		{"seed", "config"}, {"iris", "data"}, {"nosuch", ""},
		{runDir, "run"}, {plainDir, ""},
		{filepath.Join(dir, "c.YML"), "config"}, {filepath.Join(dir, "d.csv.gz"), "data"},
		{filepath.Join(dir, "m.json"), "model"}, {filepath.Join(dir, "notes.txt"), ""},
		{filepath.Join(dir, "missing.csv"), ""},
	} {
		if got := Guess(tc.arg); got != tc.want {
			t.Errorf("Guess(%s) = %q, want %q", tc.arg, got, tc.want)
		}
	}
}
