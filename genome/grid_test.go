package genome

import (
	"math"
	"strings"
	"testing"
)

// smallGrids are discrete spaces small enough to enumerate.
func smallGrids(t *testing.T) map[string]Space {
	fc := spaceNamed(t, "fcnet")
	fc.WidthChoices, fc.LRChoices, fc.Batches = []int{16, 64}, []float64{0.001, 0.1}, []int{8, 32}
	hpo := spaceNamed(t, "hpobench")
	hpo.WidthChoices, hpo.LRChoices, hpo.Batches = []int{16, 25, 40}, []float64{1e-3, 1}, []int{4, 16}
	return map[string]Space{
		"fcnet":    fc,
		"hpobench": hpo,
		"variable depth from 0": {
			Layers: IntRange{0, 2}, WidthChoices: []int{8, 32}, Activations: []string{"relu", "tanh"},
			LR: FloatRange{0.01, 0.01}, Batches: []int{16}, DropoutChoices: []float64{0, 0.5},
			L2: FloatRange{0, 0}, Optimizers: []string{"adam", "sgd"}, Schedules: []string{"const", "cosine"},
		},
		"fixed width range": {
			Layers: IntRange{1, 2}, Width: IntRange{10, 10}, Activations: []string{"relu"},
			LRChoices: []float64{0.1, 0.01}, Batches: []int{16, 32}, Dropout: FloatRange{0.1, 0.1},
			L2Choices: []float64{0, 1e-3}, Optimizers: []string{"adam"},
		},
	}
}

// TestGridNumbering checks that Genome and Index are inverse, that every
// genome of the grid is distinct and inside the space, and that Size agrees
// with GridSize.
func TestGridNumbering(t *testing.T) {
	for name, s := range smallGrids(t) {
		t.Run(name, func(t *testing.T) {
			g, err := NewGrid(s)
			if err != nil {
				t.Fatal(err)
			}
			n, err := s.GridSize()
			if err != nil || float64(g.Size()) != n {
				t.Fatalf("Size() = %d, GridSize() = %v, %v", g.Size(), n, err)
			}
			keys := map[string]int{}
			for i := range g.Size() {
				x := g.Genome(i)
				if err := s.Contains(x); err != nil {
					t.Fatalf("Genome(%d) = %s outside the space: %v", i, x.Key(), err)
				}
				if j, ok := g.Index(x); !ok || j != i {
					t.Fatalf("Index(Genome(%d)) = %d, %v", i, j, ok)
				}
				if j, dup := keys[x.Key()]; dup {
					t.Fatalf("Genome(%d) and Genome(%d) are both %s", i, j, x.Key())
				}
				keys[x.Key()] = i
			}
			// Every sample is in the grid.
			rng := newRand(5)
			for range 500 {
				x := s.Sample(rng)
				if i, ok := g.Index(x); !ok || g.Genome(i).Key() != x.Key() {
					t.Fatalf("sample %s: Index = %d, %v", x.Key(), i, ok)
				}
			}
		})
	}
}

func TestGridSizes(t *testing.T) {
	fc, err := spaceNamed(t, "fcnet").GridSize()
	if err != nil || fc != 62208 {
		t.Errorf("FCNet grid size = %v, %v; want 62208", fc, err)
	}
	hpo := spaceNamed(t, "hpobench")
	hpo.LRChoices = []float64{1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 2, 3, 4, 5}
	hpo.Batches = []int{4, 6, 10, 16, 25, 40, 64, 101, 161, 256}
	hpo.L2Choices = []float64{0, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1}
	if n, err := hpo.GridSize(); err != nil || n != 30000 {
		t.Errorf("HPOBench grid size = %v, %v; want 30000", n, err)
	}
	if _, err := testSpaces[0].space.GridSize(); err == nil || !strings.Contains(err.Error(), "search_space.width: a range [1, 512], not a list of choices") {
		t.Errorf("GridSize of a continuous space: %v", err)
	}
	huge := spaceNamed(t, "fcnet")
	huge.Layers = IntRange{1, 16}
	if _, err := NewGrid(huge); err == nil || !strings.Contains(err.Error(), "more than a grid indexes") {
		t.Errorf("NewGrid of %v genomes: %v", must(huge.GridSize()), err)
	}
}

func must(x float64, _ error) float64 { return x }

func TestGridIndexOutside(t *testing.T) {
	g, err := NewGrid(smallGrids(t)["hpobench"])
	if err != nil {
		t.Fatal(err)
	}
	in := g.Genome(g.Size() - 1)
	for name, change := range map[string]func(x *Genome){
		"width":      func(x *Genome) { x.Layers[0].Units = 17 },
		"unshared":   func(x *Genome) { x.Layers[0].Units = 16 },
		"too deep":   func(x *Genome) { x.Layers = append(x.Layers, x.Layers[0]) },
		"lr":         func(x *Genome) { x.LR = math.Nextafter(1, 2) },
		"schedule":   func(x *Genome) { x.Schedule = "cosine" },
		"activation": func(x *Genome) { x.Layers[1].Activation = "tanh" },
		"no layers":  func(x *Genome) { x.Layers = nil },
	} {
		x := in.Clone()
		change(&x)
		if i, ok := g.Index(x); ok {
			t.Errorf("%s: Index(%s) = %d, want not found", name, x.Key(), i)
		}
	}
	if allocs := testing.AllocsPerRun(100, func() { g.Index(in) }); allocs != 0 {
		t.Errorf("Index allocates %v times, want 0", allocs)
	}
}

// TestSampleUniformOnGrid checks that Sample draws every genome of a grid
// with fixed depth equally often (chi-square, far from its critical value).
func TestSampleUniformOnGrid(t *testing.T) {
	s := smallGrids(t)["fcnet"]
	g, err := NewGrid(s)
	if err != nil {
		t.Fatal(err)
	}
	rng := newRand(6)
	counts := make([]int, g.Size())
	const per = 40
	n := per * g.Size()
	for range n {
		i, ok := g.Index(s.Sample(rng))
		if !ok {
			t.Fatal("sample outside the grid")
		}
		counts[i]++
	}
	var chi2 float64
	for _, c := range counts {
		chi2 += float64((c-per)*(c-per)) / per
	}
	// df = size-1; mean df, sd sqrt(2 df): allow 5 sd.
	df := float64(g.Size() - 1)
	if chi2 > df+5*math.Sqrt(2*df) {
		t.Errorf("chi-square %.0f over %d cells, want about %.0f", chi2, g.Size(), df)
	}
}
