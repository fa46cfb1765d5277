package genome

import (
	"cmp"
	"math"
	"slices"
	"testing"
)

// changedGenes returns the genes in which b differs from a, named as
// MutateLocal names them; a change of depth is "depth" alone.
func changedGenes(a, b Genome) []string {
	var out []string
	if len(a.Layers) != len(b.Layers) {
		out = append(out, "depth")
	} else {
		for i := range a.Layers {
			if a.Layers[i].Units != b.Layers[i].Units && !(i > 0 && slices.Contains(out, "width")) {
				out = append(out, "width") // a shared width moves every layer: one gene
			}
			if a.Layers[i].Activation != b.Layers[i].Activation {
				out = append(out, "activation")
			}
			if !sameFloat(a.Layers[i].Dropout, b.Layers[i].Dropout) {
				out = append(out, "dropout")
			}
		}
	}
	if !sameFloat(a.LR, b.LR) {
		out = append(out, "lr")
	}
	if a.Batch != b.Batch {
		out = append(out, "batch")
	}
	if !sameFloat(a.L2, b.L2) {
		out = append(out, "l2")
	}
	if a.Optimizer != b.Optimizer {
		out = append(out, "optimizer")
	}
	if ScheduleName(a.Schedule) != ScheduleName(b.Schedule) {
		out = append(out, "lr_schedule")
	}
	return out
}

// adjacent reports whether x and y are neighbours in the ascending order of xs.
func adjacent[T cmp.Ordered](xs []T, x, y T) bool {
	s := slices.Sorted(slices.Values(xs))
	i, j := slices.Index(s, x), slices.Index(s, y)
	return i >= 0 && j >= 0 && (i-j == 1 || j-i == 1)
}

// TestMutateLocalOneGene: from sampled genomes, every local mutation keeps
// the genome inside its space and changes exactly the one gene it names,
// to an adjacent value where the gene is a list of choices; it changes
// nothing only in a space whose genes are all fixed.
func TestMutateLocalOneGene(t *testing.T) {
	for _, tc := range testSpaces {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.space
			rng := newRand(2)
			g := s.Sample(rng)
			for step := range 2000 {
				before := g.Clone()
				gene := s.MutateLocal(&g, rng)
				if err := s.Contains(g); err != nil {
					t.Fatalf("step %d: %s of %s left the space: %v", step, gene, before.Key(), err)
				}
				got := changedGenes(before, g)
				if gene == "" {
					if len(got) > 0 || !tc.fixed && mutable(s) {
						t.Fatalf("step %d: MutateLocal returned \"\" on %s, changed %v", step, before.Key(), got)
					}
					continue
				}
				if tc.fixed {
					t.Fatalf("step %d: MutateLocal changed %s in a fixed space", step, gene)
				}
				if len(got) != 1 || got[0] != gene {
					t.Fatalf("step %d: MutateLocal said %q, genes changed %v (%s -> %s)", step, gene, got, before.Key(), g.Key())
				}
				if d := len(g.Layers) - len(before.Layers); d < -1 || d > 1 {
					t.Fatalf("step %d: depth jumped by %d", step, d)
				}
				if gene == "batch" && !adjacent(s.Batches, before.Batch, g.Batch) {
					t.Fatalf("step %d: batch %d -> %d not adjacent in %v", step, before.Batch, g.Batch, s.Batches)
				}
				if gene == "lr" && len(s.LRChoices) > 0 && !adjacent(s.LRChoices, before.LR, g.LR) {
					t.Fatalf("step %d: lr %v -> %v not adjacent in %v", step, before.LR, g.LR, s.LRChoices)
				}
				if gene == "l2" && len(s.L2Choices) > 0 && !adjacent(s.L2Choices, before.L2, g.L2) {
					t.Fatalf("step %d: l2 %v -> %v not adjacent in %v", step, before.L2, g.L2, s.L2Choices)
				}
				if gene == "width" && len(s.WidthChoices) > 0 {
					for i := range g.Layers {
						if a, b := before.Layers[i].Units, g.Layers[i].Units; a != b && !adjacent(s.WidthChoices, a, b) {
							t.Fatalf("step %d: width %d -> %d not adjacent in %v", step, a, b, s.WidthChoices)
						}
					}
				}
			}
		})
	}
}

// TestMutateLocalUniformGenes: in a space of fixed depth, each of the
// genes that can change is drawn about equally often.
func TestMutateLocalUniformGenes(t *testing.T) {
	s := Space{
		Layers:       IntRange{2, 2},
		WidthChoices: []int{16, 32, 64, 128, 256, 512},
		Activations:  []string{"relu", "tanh"},
		LR:           FloatRange{5e-4, 1e-1},
		Batches:      []int{8, 16, 32, 64},
		Dropout:      FloatRange{0, 0.6},
		L2:           FloatRange{0, 0},
		Optimizers:   []string{"adam"},
	}
	rng := newRand(3)
	const n = 9000
	count := map[string]int{}
	for range n {
		g := s.Sample(rng)
		count[s.MutateLocal(&g, rng)]++
	}
	// Per layer: width, activation, dropout (2 layers); then lr and batch:
	// 8 sites, a per-layer gene twice as likely as lr.
	want := map[string]float64{"width": 2.0 / 8, "activation": 2.0 / 8, "dropout": 2.0 / 8, "lr": 1.0 / 8, "batch": 1.0 / 8}
	for gene, p := range want {
		got := float64(count[gene]) / n
		if math.Abs(got-p) > 0.03 {
			t.Errorf("%s drawn %.3f of the time, want about %.3f", gene, got, p)
		}
	}
	if len(count) != len(want) {
		t.Errorf("genes drawn %v, want exactly %v", count, want)
	}
}

func TestStepChoice(t *testing.T) {
	xs := []int{64, 8, 32, 16} // unsorted on purpose
	rng := newRand(4)
	tests := []struct {
		cur  int
		want []int
	}{
		{8, []int{16}},
		{16, []int{8, 32}},
		{64, []int{32}},
		{20, []int{16, 32}}, // not in the list: its neighbours
	}
	for _, tc := range tests {
		seen := map[int]bool{}
		for range 100 {
			seen[stepChoice(xs, tc.cur, rng)] = true
		}
		var got []int
		for v := range seen {
			got = append(got, v)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("stepChoice(%v, %d) gave %v, want %v", xs, tc.cur, got, tc.want)
		}
	}
}
