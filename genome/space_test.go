package genome

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func validSpace() Space {
	return Space{
		Layers:      IntRange{1, 3},
		Width:       IntRange{8, 256},
		Activations: []string{"relu", "tanh"},
		LR:          FloatRange{1e-4, 1e-1},
		Batches:     []int{16, 32, 64},
		Dropout:     FloatRange{0, 0.5},
		L2:          FloatRange{0, 1e-2},
		Optimizers:  []string{"adam", "sgd"},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *Space)
		want   string // substring of the error; "" for none
	}{
		{"valid", func(s *Space) {}, ""},
		{"no hidden layers", func(s *Space) { s.Layers = IntRange{0, 0} }, ""},
		{"width choices ignore width", func(s *Space) { s.WidthChoices, s.Width = []int{4, 8}, IntRange{} }, ""},
		{"fixed genes", func(s *Space) {
			s.LR, s.Dropout, s.L2 = FloatRange{0.1, 0.1}, FloatRange{0.2, 0.2}, FloatRange{0, 0}
		}, ""},
		{"layers min above max", func(s *Space) { s.Layers = IntRange{3, 2} }, "search_space.layers: min 3 above max 2"},
		{"layers negative", func(s *Space) { s.Layers.Min = -1 }, "search_space.layers: min -1 below 0"},
		{"width zero", func(s *Space) { s.Width.Min = 0 }, "search_space.width: min 0 below 1"},
		{"width min above max", func(s *Space) { s.Width = IntRange{300, 200} }, "search_space.width: min 300 above max 200"},
		{"width choice zero", func(s *Space) { s.WidthChoices = []int{16, 0} }, "search_space.width_choices: 0 below 1"},
		{"width choice duplicate", func(s *Space) { s.WidthChoices = []int{16, 32, 16} }, "search_space.width_choices: duplicate 16"},
		{"unknown activation", func(s *Space) { s.Activations = []string{"relu", "relux"} },
			`search_space.activations: unknown activation "relux" (want relu, leaky_relu, elu, tanh, sigmoid, linear)`},
		{"no activations", func(s *Space) { s.Activations = nil }, "search_space.activations: empty"},
		{"duplicate activation", func(s *Space) { s.Activations = []string{"tanh", "tanh"} }, `search_space.activations: duplicate activation "tanh"`},
		{"lr zero", func(s *Space) { s.LR.Min = 0 }, "search_space.lr: min 0 must be above 0"},
		{"lr min above max", func(s *Space) { s.LR = FloatRange{0.1, 0.01} }, "search_space.lr: min 0.1 above max 0.01"},
		{"lr infinite", func(s *Space) { s.LR.Max = math.Inf(1) }, "search_space.lr: min 0.0001 and max +Inf must be finite"},
		{"lr NaN", func(s *Space) { s.LR.Min = math.NaN() }, "search_space.lr:"},
		{"no batches", func(s *Space) { s.Batches = []int{} }, "search_space.batches: empty"},
		{"batch zero", func(s *Space) { s.Batches = []int{0, 32} }, "search_space.batches: 0 below 1"},
		{"batch duplicate", func(s *Space) { s.Batches = []int{32, 32} }, "search_space.batches: duplicate 32"},
		{"dropout one", func(s *Space) { s.Dropout.Max = 1 }, "search_space.dropout: max 1 must be below 1"},
		{"dropout negative", func(s *Space) { s.Dropout.Min = -0.1 }, "search_space.dropout: min -0.1 below 0"},
		{"dropout min above max", func(s *Space) { s.Dropout = FloatRange{0.5, 0.2} }, "search_space.dropout: min 0.5 above max 0.2"},
		{"dropout NaN", func(s *Space) { s.Dropout.Max = math.NaN() }, "search_space.dropout:"},
		{"l2 negative", func(s *Space) { s.L2.Min = -1 }, "search_space.l2: min -1 below 0"},
		{"l2 min above max", func(s *Space) { s.L2 = FloatRange{1e-2, 1e-3} }, "search_space.l2: min 0.01 above max 0.001"},
		{"unknown optimizer", func(s *Space) { s.Optimizers = []string{"adamw"} }, `search_space.optimizers: unknown optimizer "adamw" (want adam, sgd)`},
		{"no optimizers", func(s *Space) { s.Optimizers = nil }, "search_space.optimizers: empty"},
		{"choices ignore ranges", func(s *Space) {
			s.LRChoices, s.LR = []float64{0.1, 0.01}, FloatRange{}
			s.DropoutChoices, s.Dropout = []float64{0, 0.5}, FloatRange{2, 1}
			s.L2Choices, s.L2 = []float64{0, 1e-4}, FloatRange{-1, -2}
		}, ""},
		{"lr choice zero", func(s *Space) { s.LRChoices = []float64{0.1, 0} }, "search_space.lr_choices: 0 must be above 0"},
		{"lr choice duplicate", func(s *Space) { s.LRChoices = []float64{0.1, 0.1} }, "search_space.lr_choices: duplicate 0.1"},
		{"dropout choice one", func(s *Space) { s.DropoutChoices = []float64{0, 1} }, "search_space.dropout_choices: 1 outside [0, 1)"},
		{"l2 choice negative", func(s *Space) { s.L2Choices = []float64{-1e-3} }, "search_space.l2_choices: -0.001 must be at least 0"},
		{"schedules", func(s *Space) { s.Schedules = []string{"cosine", "const"} }, ""},
		{"unknown schedule", func(s *Space) { s.Schedules = []string{"step"} }, `search_space.lr_schedules: unknown schedule "step"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := validSpace()
			tc.change(&s)
			err := s.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate() = %q, want nil", err)
			case tc.want != "" && err == nil:
				t.Errorf("Validate() = nil, want %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("Validate() = %q, want %q", err, tc.want)
			}
		})
	}

	// Every problem is reported, one per line.
	s := validSpace()
	s.Layers, s.Optimizers = IntRange{2, 1}, []string{"rmsprop"}
	err := s.Validate()
	if err == nil || len(strings.Split(err.Error(), "\n")) != 2 {
		t.Errorf("Validate() = %q, want two lines", err)
	}

	for _, tc := range testSpaces {
		if err := tc.space.Validate(); err != nil {
			t.Errorf("test space %s: Validate() = %v", tc.name, err)
		}
	}
}

func TestRatesValidate(t *testing.T) {
	tests := []struct {
		name  string
		rates Rates
		want  string
	}{
		{"default", DefaultRates(), ""},
		{"zero", Rates{}, ""},
		{"ones", Rates{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, ""},
		{"above one", Rates{AddLayer: 1.5}, "mutation.add_layer: 1.5 outside [0, 1]"},
		{"negative", Rates{Optimizer: -0.1}, "mutation.optimizer: -0.1 outside [0, 1]"},
		{"NaN", Rates{L2: math.NaN()}, "mutation.l2: NaN outside [0, 1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.rates.Validate()
			if got := errString(err); !strings.Contains(got, tc.want) || (tc.want == "") != (err == nil) {
				t.Errorf("Validate() = %q, want %q", got, tc.want)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestContains(t *testing.T) {
	inside := Genome{Layers: []Layer{{64, "relu", 0.1}}, LR: 1e-3, Batch: 32, L2: 0, Optimizer: "adam"}
	tests := []struct {
		name   string
		space  func(s *Space)
		change func(g *Genome)
		want   string
	}{
		{"inside", nil, nil, ""},
		{"bounds are inside", nil, func(g *Genome) {
			g.Layers[0] = Layer{256, "tanh", 0.5}
			g.LR, g.L2 = 1e-1, 1e-2
		}, ""},
		{"too deep", nil, func(g *Genome) { g.Layers = slices.Repeat(g.Layers, 4) }, "genome: layers: depth 4 outside search_space.layers [1, 3]"},
		{"too shallow", nil, func(g *Genome) { g.Layers = nil }, "genome: layers: depth 0 outside"},
		{"too wide", nil, func(g *Genome) { g.Layers[0].Units = 300 }, "genome: layers[0].units: 300 outside search_space.width [8, 256]"},
		{"not a width choice", func(s *Space) { s.WidthChoices = []int{16, 32} }, nil, "genome: layers[0].units: 64 not in search_space.width_choices [16 32]"},
		{"activation", nil, func(g *Genome) { g.Layers[0].Activation = "elu" }, `genome: layers[0].activation: "elu" not in search_space.activations [relu tanh]`},
		{"dropout", nil, func(g *Genome) { g.Layers[0].Dropout = 0.7 }, "genome: layers[0].dropout: 0.7 outside search_space.dropout [0, 0.5]"},
		{"lr", nil, func(g *Genome) { g.LR = 0.5 }, "genome: lr: 0.5 outside search_space.lr [0.0001, 0.1]"},
		{"lr NaN", nil, func(g *Genome) { g.LR = math.NaN() }, "genome: lr: NaN outside"},
		{"batch", nil, func(g *Genome) { g.Batch = 48 }, "genome: batch: 48 not in search_space.batches [16 32 64]"},
		{"l2", nil, func(g *Genome) { g.L2 = -1 }, "genome: l2: -1 outside search_space.l2 [0, 0.01]"},
		{"optimizer", nil, func(g *Genome) { g.Optimizer = "rmsprop" }, `genome: optimizer: "rmsprop" not in search_space.optimizers [adam sgd]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, g := validSpace(), inside.Clone()
			if tc.space != nil {
				tc.space(&s)
			}
			if tc.change != nil {
				tc.change(&g)
			}
			err := s.Contains(g)
			if got := errString(err); !strings.Contains(got, tc.want) || (tc.want == "") != (err == nil) {
				t.Errorf("Contains(%s) = %q, want %q", g.Key(), got, tc.want)
			}
		})
	}
}

func TestSampleWidthLogUniform(t *testing.T) {
	s := validSpace()
	s.Layers = IntRange{1, 1}
	rng := newRand(10)
	const n = 20000
	var low, high int // widths in [8, 16) and in [128, 256)
	for range n {
		g := s.Sample(rng)
		if err := s.Contains(g); err != nil {
			t.Fatal(err)
		}
		switch u := g.Layers[0].Units; {
		case u < 16:
			low++
		case u >= 128 && u < 256:
			high++
		}
	}
	// Each octave holds log(2)/log(257/8) of the mass: about 4000 draws.
	want := n * math.Log(2) / math.Log(257.0/8)
	for _, got := range []int{low, high} {
		if math.Abs(float64(got)-want) > 0.1*want {
			t.Errorf("widths in [8,16): %d, in [128,256): %d; want about %.0f each", low, high, want)
			break
		}
	}
}

func TestSampleDistributions(t *testing.T) {
	s := validSpace()
	s.Layers = IntRange{0, 3}
	rng := newRand(11)
	const n = 8000
	var l2Zero, lrLowDecade, lrHighDecade int
	depths := make([]int, 4)
	for range n {
		g := s.Sample(rng)
		depths[len(g.Layers)]++
		switch {
		case g.L2 == 0:
			l2Zero++
		case g.L2 < s.L2.Max*1e-3:
			t.Fatalf("non-zero l2 %v below max/1000", g.L2)
		}
		if g.LR < 1e-3 {
			lrLowDecade++
		} else if g.LR >= 1e-2 {
			lrHighDecade++
		}
	}
	if math.Abs(float64(l2Zero)/n-0.5) > 0.03 {
		t.Errorf("l2 zero in %d of %d samples, want about half", l2Zero, n)
	}
	// lr is log-uniform over three decades.
	if math.Abs(float64(lrLowDecade)/n-1.0/3) > 0.03 || math.Abs(float64(lrHighDecade)/n-1.0/3) > 0.03 {
		t.Errorf("lr in [1e-4,1e-3): %d, in [1e-2,1e-1]: %d of %d; want about a third each", lrLowDecade, lrHighDecade, n)
	}
	for d, c := range depths {
		if math.Abs(float64(c)/n-0.25) > 0.03 {
			t.Errorf("depth %d in %d of %d samples, want about a quarter", d, c, n)
		}
	}
}

// TestSampleFixedGenes checks that fixed genes always take their one value
// and that choices are drawn only from their lists.
func TestSampleFixedGenes(t *testing.T) {
	s := Space{
		Layers:       IntRange{2, 2},
		WidthChoices: []int{10, 20},
		Activations:  []string{"sigmoid"},
		LR:           FloatRange{0.03, 0.03},
		Batches:      []int{7},
		Dropout:      FloatRange{0.25, 0.25},
		L2:           FloatRange{1e-4, 1e-4},
		Optimizers:   []string{"sgd"},
	}
	rng := newRand(12)
	widths := map[int]int{}
	for range 500 {
		g := s.Sample(rng)
		for _, l := range g.Layers {
			widths[l.Units]++
			l.Units = 0
			if l != (Layer{0, "sigmoid", 0.25}) {
				t.Fatalf("layer %+v, want sigmoid with dropout 0.25", l)
			}
		}
		g.Layers = nil
		if want := (Genome{LR: 0.03, Batch: 7, L2: 1e-4, Optimizer: "sgd"}); !equal(g, want) {
			t.Fatalf("hyperparameters %s, want %s", g.Key(), want.Key())
		}
	}
	if len(widths) != 2 || widths[10] == 0 || widths[20] == 0 {
		t.Errorf("widths drawn %v, want both 10 and 20 and nothing else", widths)
	}
}

// TestDeterminism checks that a seed fixes the whole sequence of samples,
// mutations and crossovers, and that another seed gives another one.
func TestDeterminism(t *testing.T) {
	run := func(seed int64) []string {
		s := testSpaces[0].space
		rng := newRand(seed)
		pop := []Genome{s.Sample(rng), s.Sample(rng), s.Sample(rng)}
		var keys []string
		for range 200 {
			g := &pop[rng.Intn(len(pop))]
			s.Mutate(g, DefaultRates(), rng)
			s.Crossover(g, pop[rng.Intn(len(pop))], rng)
			keys = append(keys, g.Key())
		}
		return keys
	}
	a, b, c := run(42), run(42), run(43)
	if !slices.Equal(a, b) {
		t.Errorf("two runs with seed 42 differ")
	}
	if slices.Equal(a, c) {
		t.Errorf("runs with seeds 42 and 43 are the same")
	}
}

func TestKnownNames(t *testing.T) {
	a := KnownActivations()
	a[0] = "changed"
	if KnownActivations()[0] != "relu" {
		t.Errorf("KnownActivations returned its own slice")
	}
	if got := KnownOptimizers(); !slices.Equal(got, []string{"adam", "sgd"}) {
		t.Errorf("KnownOptimizers() = %v, want [adam sgd]", got)
	}
}
