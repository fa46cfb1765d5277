package run

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSimulate(t *testing.T) {
	tb, err := OpenTable("spirals_mlp")
	if err != nil {
		t.Fatal(err)
	}
	o := SimOptions{Models: []string{"generational", " regularized"}, Workers: 4, Seeds: 2, Budget: 20, Population: 4, SampleSize: 2}
	sim, err := Simulate(context.Background(), tb, o)
	if err != nil {
		t.Fatal(err)
	}
	if sim.Workers != 4 || sim.Seeds != 2 || sim.Budget != 20 || len(sim.Strategies) != 2 || sim.Strategies[1].Model != "regularized" {
		t.Errorf("simulation of %d workers, %d seeds, budget %d, strategies %+v; want 4, 2, 20, generational and regularized",
			sim.Workers, sim.Seeds, sim.Budget, sim.Strategies)
	}
	o.Models = []string{"generational", "nosuch"}
	var ie *InputError
	if _, err := Simulate(context.Background(), tb, o); !errors.As(err, &ie) || !strings.Contains(err.Error(), "--models nosuch") {
		t.Errorf("an unknown model: %v, want an InputError naming --models nosuch", err)
	}
	o.Models, o.Config = []string{"generational"}, "nosuch-config"
	if _, err := Simulate(context.Background(), tb, o); err == nil || !strings.Contains(err.Error(), "nosuch-config") {
		t.Errorf("an unknown config: %v, want an error naming it", err)
	}

	// A table without training times cannot be simulated.
	path := filepath.Join(t.TempDir(), "no_times.csv")
	if err := os.WriteFile(path, []byte("units_1,lr,val_acc_0\n16,0.01,0.5\n32,0.01,0.6\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	nt, err := OpenTable(path)
	if err != nil {
		t.Fatal(err)
	}
	o.Config = ""
	if _, err := Simulate(context.Background(), nt, o); !errors.As(err, &ie) || !strings.Contains(err.Error(), "has no train_s columns") {
		t.Errorf("a table without train_s: %v, want an InputError saying so", err)
	}
}
