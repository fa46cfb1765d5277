package run

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
)

func TestCheckQueue(t *testing.T) {
	cfg := configs.Default()
	if err := CheckQueue(cfg); err != nil {
		t.Errorf("the default config: %v, want nil", err)
	}
	cfg.Fidelity.Method = "halving"
	var oe *OptionError
	if err := CheckQueue(cfg); !errors.As(err, &oe) || oe.Option() != "queue" || !strings.Contains(oe.Err.Error(), "halving") {
		t.Errorf("halving: %v, want an OptionError of queue naming halving", err)
	}
}

func TestSetResumable(t *testing.T) {
	cfg := configs.Default()
	if err := SetResumable(&cfg, []string{"workers=3", "evolution.generations=7"}); err != nil || cfg.Workers != 3 || cfg.Evolution.Generations != 7 {
		t.Fatalf("workers %d, generations %d, err %v; want 3, 7, nil", cfg.Workers, cfg.Evolution.Generations, err)
	}
	for _, tc := range []struct{ set, want string }{
		{"workers", `--set "workers": want KEY=VALUE`},
		{"evolution.population=3", "--set evolution.population: resume cannot change it"},
		{"workers=x", `--set: workers: cannot decode "x"`},
	} {
		before := cfg
		err := SetResumable(&cfg, []string{tc.set})
		var ie *InputError
		if !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an InputError starting %q", tc.set, err, tc.want)
		}
		if !reflect.DeepEqual(cfg, before) {
			t.Errorf("%s: the config changed", tc.set)
		}
	}
}

func TestHeadingAndNotes(t *testing.T) {
	cfg := configs.Default()
	cfg.Workers, cfg.SearchSpace.Batch = 3, []int{16, 512}
	d := &dataset.Data{Name: "xor", Task: dataset.Binary, Train: dataset.Split{N: 280}, Notes: []string{"xor: a note"}}
	s := &Search{Config: cfg, Strategy: Random, Data: d, Dir: "runs/x", Resume: true}
	if got, want := s.Heading(), "resuming random search on xor (binary, 280 train rows) with 3 workers; run directory runs/x"; got != want {
		t.Errorf("Heading() = %q, want %q", got, want)
	}
	notes := s.Notes()
	if len(notes) != 2 || notes[0] != "xor: a note" || !strings.HasPrefix(notes[1], "search_space.batch 512 is more than the 280 training rows") {
		t.Errorf("Notes() = %q, want the data's note, then batch 512's", notes)
	}
}

func TestTableComparisonOpen(t *testing.T) {
	a, b := configs.Default(), configs.Default()
	a.Data.Table, b.Data.Table = "spirals_mlp", "other"
	tc := &TableComparison{Variants: []Variant{{Name: "a", Config: a}, {Name: "b", Config: b}}}
	if _, err := tc.Open(); err == nil || !strings.Contains(err.Error(), "configs a and b use different tables") {
		t.Errorf("different tables: %v", err)
	}
	tc.Table = "spirals_mlp"
	if tab, err := tc.Open(); err != nil || tab.Name != "spirals_mlp" {
		t.Errorf("--table: %v", err)
	}
}
