package search

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"testing"

	"github.com/MaxHalford/eaopt"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// TestRebalance: every species ends with at least min individuals, none is
// lost or duplicated, and a species with some to spare gives its member
// closest to the short species' medoid.
func TestRebalance(t *testing.T) {
	indi := func(units int) eaopt.Individual {
		g := genome.Genome{Layers: []genome.Layer{{Units: units, Activation: "relu"}}, LR: 0.01, Batch: 16, Optimizer: "adam"}
		return eaopt.Individual{Genome: &candidate{g: g}}
	}
	units := func(s eaopt.Individuals) []int {
		var u []int
		for _, i := range s {
			u = append(u, i.Genome.(*candidate).g.Layers[0].Units)
		}
		return u
	}
	// At least 4 each. One species of one (8); the others: 2 to 6 and 100
	// to 110. 8 gets the closest, 6; the species of 2 to 6 has none left
	// to spare, so then 100 and 101 (eaopt's rebalancing went on taking 5
	// and 4 from it, leaving it 2 and 3).
	var a, b eaopt.Individuals
	for u := 2; u <= 6; u++ {
		a = append(a, indi(u))
	}
	for u := 100; u <= 110; u++ {
		b = append(b, indi(u))
	}
	species, err := rebalance([]eaopt.Individuals{{indi(8)}, a, b}, 4)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(units(species[0]), units(species[1]), len(species[2]))
	if want := "[8 6 100 101] [2 3 4 5] 9"; got != want {
		t.Errorf("species %s, want %s", got, want)
	}
	for i, s := range species {
		if len(s) < 4 {
			t.Errorf("species %d has %d individuals, want at least 4: %v", i, len(s), units(s))
		}
	}
	var all []int
	for _, s := range species {
		all = append(all, units(s)...)
	}
	sort.Ints(all)
	if len(all) != 17 || all[0] != 2 || all[16] != 110 {
		t.Errorf("individuals after: %v, want the 17 before", all)
	}

	// Random species with duplicates.
	rng := rand.New(rand.NewSource(1))
	for range 200 {
		k := 2 + rng.Intn(3)
		var ss []eaopt.Individuals
		n := 0
		for range k {
			var s eaopt.Individuals
			for range 1 + rng.Intn(8) {
				s = append(s, indi(1+rng.Intn(4)))
				n++
			}
			ss = append(ss, s)
		}
		min := 1 + rng.Intn(4)
		out, err := rebalance(ss, min)
		if n < k*min {
			if err == nil {
				t.Fatalf("%d individuals in %d species of %d: no error", n, k, min)
			}
			continue
		}
		total := 0
		for _, s := range out {
			total += len(s)
			if len(s) < min {
				t.Fatalf("a species of %d, want at least %d", len(s), min)
			}
		}
		if err != nil || total != n {
			t.Fatalf("%d individuals after, %d before; error %v", total, n, err)
		}
	}
}

// TestSpeciationSmallSpace: with many duplicate genomes (a space of a few
// configurations, as a table's grid), k-medoids speciation runs without a
// species too small for selection, where eaopt's rebalancing failed with
// "not enough individuals to select 2" on most seeds.
func TestSpeciationSmallSpace(t *testing.T) {
	d := testData(t)
	space := testSpace()
	space.WidthChoices = []int{4, 8}
	space.Layers = genome.IntRange{Min: 1, Max: 2}
	space.LRChoices = []float64{0.003, 0.01}
	for seed := uint64(1); seed <= 12; seed++ {
		s := testSettings()
		s.Seed, s.Population, s.Generations, s.TournamentSize = seed, 16, 6, 3
		s.Speciation, s.Species = "kmedoids", 3
		ev := fitness.NewEvaluator(d, fitness.Settings{Epochs: 1}, s.Seed, 2)
		if _, err := evolve(context.Background(), space, ev, s, nil, nil); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
}
