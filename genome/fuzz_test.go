package genome

import (
	"encoding/json"
	"reflect"
	"testing"
)

// fuzzSpace is the fixed space that FuzzGenomeOps checks genomes against.
var fuzzSpace = Space{
	Layers:      IntRange{0, 4},
	Width:       IntRange{1, 64},
	Activations: KnownActivations(),
	LR:          FloatRange{1e-4, 1e-1},
	Batches:     []int{16, 32, 64},
	Dropout:     FloatRange{0, 0.5},
	L2:          FloatRange{0, 1e-2},
	Optimizers:  []string{"adam", "sgd"},
}

// FuzzGenomeOps decodes a genome from JSON. Key, Arch and Distance must
// handle any genome; a genome inside fuzzSpace must stay inside through
// Mutate and Crossover, and must leave the mate untouched.
func FuzzGenomeOps(f *testing.F) {
	f.Add([]byte(`{"layers":[{"units":64,"activation":"relu","dropout":0},{"units":32,"activation":"tanh","dropout":0.1}],"lr":0.001,"batch":32,"l2":0,"optimizer":"adam"}`), int64(1))
	f.Add([]byte(`{"layers":[],"lr":0.1,"batch":16,"l2":0.01,"optimizer":"sgd"}`), int64(2))
	f.Fuzz(func(t *testing.T, data []byte, seed int64) {
		var g Genome
		if err := json.Unmarshal(data, &g); err != nil {
			return
		}
		_ = g.Key()
		_ = g.Arch()
		rng := newRand(seed)
		other := fuzzSpace.Sample(rng)
		if d, e := Distance(g, other), Distance(other, g); d != e || d < 0 {
			t.Fatalf("Distance(g, other) = %v, Distance(other, g) = %v", d, e)
		}
		if d := Distance(g, g.Clone()); d != 0 {
			t.Fatalf("Distance(g, g) = %v for %s", d, g.Key())
		}
		if fuzzSpace.Contains(g) != nil {
			return
		}

		m := g.Clone()
		for range 4 {
			before := m.Key()
			ops := fuzzSpace.Mutate(&m, DefaultRates(), rng)
			if err := fuzzSpace.Contains(m); err != nil {
				t.Fatalf("after Mutate %v of %s: %v", ops, before, err)
			}
			if len(ops) == 0 || m.Key() == before {
				t.Fatalf("Mutate = %v changed %s to %s", ops, before, m.Key())
			}
		}

		mate, mateBefore := g, g.Clone()
		child := other.Clone()
		fuzzSpace.Crossover(&child, mate, rng)
		if err := fuzzSpace.Contains(child); err != nil {
			t.Fatalf("after Crossover: %v", err)
		}
		if !reflect.DeepEqual(mate, mateBefore) {
			t.Fatalf("Crossover changed the mate from %s to %s", mateBefore.Key(), mate.Key())
		}
		fuzzSpace.Crossover(&g, other, rng)
		if err := fuzzSpace.Contains(g); err != nil {
			t.Fatalf("after Crossover: %v", err)
		}
	})
}
