package genome

import (
	"math"
	"reflect"
	"slices"
	"testing"
)

// TestOperatorsStayInside is the property test of the operators: from sampled
// genomes, thousands of random mutations and crossovers keep every genome
// inside its space, every reported mutation changes the key, and crossover
// leaves the mate untouched and unshared.
func TestOperatorsStayInside(t *testing.T) {
	const (
		population = 8
		steps      = 3000
	)
	rates := []Rates{DefaultRates(), {}, {AddLayer: 1, RemoveLayer: 1}, {ResizeLayer: 1, Activation: 1, LR: 1, Batch: 1, Dropout: 1, L2: 1, Optimizer: 1, LRSchedule: 1}}
	for _, tc := range testSpaces {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.space
			if err := s.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			rng := newRand(1)
			pop := make([]Genome, population)
			for i := range pop {
				pop[i] = s.Sample(rng)
				if err := s.Contains(pop[i]); err != nil {
					t.Fatalf("Sample gave a genome outside the space: %v", err)
				}
			}
			var mutations, crossovers int
			for step := range steps {
				g := &pop[rng.Intn(population)]
				if rng.Intn(2) == 0 {
					mutations++
					before := g.Clone()
					r := rates[step%len(rates)]
					ops := s.Mutate(g, r, rng)
					if err := s.Contains(*g); err != nil {
						t.Fatalf("step %d: after Mutate %v of %s: %v", step, ops, before.Key(), err)
					}
					switch {
					case len(ops) > 0 && g.Key() == before.Key():
						t.Fatalf("step %d: Mutate reported %v but key stayed %s", step, ops, g.Key())
					case len(ops) == 0 && !reflect.DeepEqual(*g, before):
						t.Fatalf("step %d: Mutate reported nothing but changed %s to %s", step, before.Key(), g.Key())
					case len(ops) == 0 && !tc.fixed && mutable(s):
						t.Fatalf("step %d: Mutate changed nothing in %s although the space has free genes", step, g.Key())
					case len(ops) > 0 && tc.fixed:
						t.Fatalf("step %d: Mutate reported %v in a fixed space", step, ops)
					}
					continue
				}
				crossovers++
				mate := pop[rng.Intn(population)]
				mateBefore := mate.Clone()
				mateKey := mate.Key()
				s.Crossover(g, mate, rng)
				if err := s.Contains(*g); err != nil {
					t.Fatalf("step %d: after Crossover: %v", step, err)
				}
				if mate.Key() != mateKey || !reflect.DeepEqual(mate, mateBefore) {
					t.Fatalf("step %d: Crossover changed the mate from %s to %s", step, mateKey, mate.Key())
				}
				if sharesLayers(*g, mate) {
					t.Fatalf("step %d: child shares its layers with the mate", step)
				}
				// Writing to every child layer must not reach the mate.
				child := g.Clone()
				for i := range g.Layers {
					g.Layers[i].Units = -1
				}
				if !reflect.DeepEqual(mate, mateBefore) {
					t.Fatalf("step %d: writing to the child changed the mate", step)
				}
				*g = child
			}
			if mutations == 0 || crossovers == 0 {
				t.Fatalf("ran %d mutations and %d crossovers, want both", mutations, crossovers)
			}
		})
	}
}

// mutable reports whether a genome of s always has a gene that can change:
// a hyperparameter or the depth. (Layer genes alone are not enough: a genome
// may have no layers.)
func mutable(s Space) bool {
	return s.Layers.Min < s.Layers.Max || len(s.LRChoices) > 1 || len(s.LRChoices) == 0 && s.LR.Min < s.LR.Max ||
		len(s.Batches) > 1 || len(s.L2Choices) > 1 || len(s.L2Choices) == 0 && s.L2.Min < s.L2.Max ||
		len(s.Optimizers) > 1 || len(s.Schedules) > 1
}

// sharesLayers reports whether a's and b's layers use the same memory,
// counting the spare capacity of each.
func sharesLayers(a, b Genome) bool {
	x, y := a.Layers[:cap(a.Layers)], b.Layers[:cap(b.Layers)]
	for i := range x {
		for j := range y {
			if &x[i] == &y[j] {
				return true
			}
		}
	}
	return false
}

// TestMutateOperator applies one operator at a time and checks that it changes
// its own gene, and only it.
func TestMutateOperator(t *testing.T) {
	s := testSpaces[0].space // wide
	choices := testSpaces[1].space
	fcnet, hpo := spaceNamed(t, "fcnet"), spaceNamed(t, "hpobench")
	tests := []struct {
		name  string
		space Space
		rates Rates
		check func(before, after Genome) string
	}{
		{"add_layer", s, Rates{AddLayer: 1}, func(b, a Genome) string {
			if len(a.Layers) != len(b.Layers)+1 {
				return "depth did not grow by one"
			}
			for i := range a.Layers { // removing the inserted layer gives back b
				if equal(Genome{Layers: slices.Delete(slices.Clone(a.Layers), i, i+1)}, Genome{Layers: b.Layers}) {
					return sameHyper(b, a)
				}
			}
			return "existing layers changed"
		}},
		{"remove_layer", s, Rates{RemoveLayer: 1}, func(b, a Genome) string {
			if len(a.Layers) != len(b.Layers)-1 {
				return "depth did not shrink by one"
			}
			for i := range b.Layers {
				if equal(Genome{Layers: slices.Delete(slices.Clone(b.Layers), i, i+1)}, Genome{Layers: a.Layers}) {
					return sameHyper(b, a)
				}
			}
			return "remaining layers changed"
		}},
		{"resize_layer", s, Rates{ResizeLayer: 1}, oneLayerField(func(l Layer) any { return l.Units })},
		{"resize_layer", choices, Rates{ResizeLayer: 1}, oneLayerField(func(l Layer) any { return l.Units })},
		{"activation", s, Rates{Activation: 1}, oneLayerField(func(l Layer) any { return l.Activation })},
		{"dropout", s, Rates{Dropout: 1}, oneLayerField(func(l Layer) any { return l.Dropout })},
		{"lr", s, Rates{LR: 1}, onlyHyper(func(g *Genome) { g.LR = 0 })},
		{"batch", s, Rates{Batch: 1}, onlyHyper(func(g *Genome) { g.Batch = 0 })},
		{"l2", s, Rates{L2: 1}, onlyHyper(func(g *Genome) { g.L2 = 0 })},
		{"l2", choices, Rates{L2: 1}, onlyHyper(func(g *Genome) { g.L2 = 0 })},
		{"optimizer", s, Rates{Optimizer: 1}, onlyHyper(func(g *Genome) { g.Optimizer = "" })},
		{"lr", fcnet, Rates{LR: 1}, onlyHyper(func(g *Genome) { g.LR = 0 })},
		{"dropout", fcnet, Rates{Dropout: 1}, oneLayerField(func(l Layer) any { return l.Dropout })},
		{"lr_schedule", fcnet, Rates{LRSchedule: 1}, onlyHyper(func(g *Genome) { g.Schedule = "" })},
		{"l2", hpo, Rates{L2: 1}, onlyHyper(func(g *Genome) { g.L2 = 0 })},
		{"resize_layer", hpo, Rates{ResizeLayer: 1}, func(b, a Genome) string { // every layer, to one width
			if len(a.Layers) != len(b.Layers) || a.Layers[0].Units == b.Layers[0].Units {
				return "depth changed or width did not"
			}
			w := a.Layers[0].Units
			for i := range a.Layers {
				if a.Layers[i].Units != w {
					return "layers do not share their width"
				}
				a.Layers[i].Units = b.Layers[i].Units
			}
			if !equal(a, b) {
				return "another gene changed"
			}
			return ""
		}},
		{"add_layer", hpo, Rates{AddLayer: 1}, func(b, a Genome) string {
			if len(a.Layers) != len(b.Layers)+1 || a.Layers[len(a.Layers)-1].Units != b.Layers[0].Units {
				return "depth did not grow by one at the shared width"
			}
			return sameHyper(b, a)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := newRand(2)
			applied := 0
			for range 500 {
				g := tc.space.Sample(rng)
				if !operators[opIndex(t, tc.name)].applicable(&tc.space, &g) {
					continue
				}
				applied++
				before := g.Clone()
				ops := tc.space.Mutate(&g, tc.rates, rng)
				if !slices.Equal(ops, []string{tc.name}) {
					t.Fatalf("Mutate = %v, want [%s]", ops, tc.name)
				}
				if msg := tc.check(before, g); msg != "" {
					t.Fatalf("%s: %s\nbefore %s\nafter  %s", tc.name, msg, before.Key(), g.Key())
				}
			}
			if applied < 100 {
				t.Fatalf("operator applicable to %d of 500 samples, want at least 100", applied)
			}
		})
	}
}

func opIndex(t *testing.T, name string) int {
	for i, op := range operators {
		if op.name == name {
			return i
		}
	}
	t.Fatalf("no operator %q", name)
	return -1
}

func sameHyper(b, a Genome) string {
	b.Layers, a.Layers = nil, nil
	if !equal(a, b) {
		return "hyperparameters changed"
	}
	return ""
}

// oneLayerField checks that exactly one layer changed, and only in field.
func oneLayerField(field func(Layer) any) func(b, a Genome) string {
	return func(b, a Genome) string {
		if len(a.Layers) != len(b.Layers) {
			return "depth changed"
		}
		changed := 0
		for i := range a.Layers {
			if a.Layers[i] == b.Layers[i] {
				continue
			}
			changed++
			if field(a.Layers[i]) == field(b.Layers[i]) {
				return "another field of the layer changed"
			}
			if masked(a.Layers[i], field) != masked(b.Layers[i], field) {
				return "another field of the layer changed"
			}
		}
		if changed != 1 {
			return "want exactly one layer changed"
		}
		return sameHyper(b, a)
	}
}

// masked returns l with the field that f reads set to its zero value.
func masked(l Layer, f func(Layer) any) Layer {
	switch f(l).(type) {
	case int:
		l.Units = 0
	case string:
		l.Activation = ""
	case float64:
		l.Dropout = 0
	}
	return l
}

// onlyHyper checks that the layers and every hyperparameter except the one
// zeroed by clear are unchanged, and that this one changed.
func onlyHyper(clear func(*Genome)) func(b, a Genome) string {
	return func(b, a Genome) string {
		if equal(a, b) {
			return "nothing changed"
		}
		clear(&a)
		clear(&b)
		if !equal(a, b) {
			return "another gene changed"
		}
		return ""
	}
}

// TestMutateForcedChoice checks the fallback when no operator fires on its
// own: the operator is drawn by rate among those that apply, uniformly when
// all rates are zero.
func TestMutateForcedChoice(t *testing.T) {
	s := testSpaces[0].space
	tests := []struct {
		name  string
		rates Rates
		want  map[string]bool // operators that may be returned; nil: any applicable one
	}{
		{"only batch has a rate", Rates{Batch: 1e-12}, map[string]bool{"batch": true}},
		{"only lr and optimizer", Rates{LR: 1e-12, Optimizer: 1e-12}, map[string]bool{"lr": true, "optimizer": true}},
		{"zero rates are uniform", Rates{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := newRand(3)
			counts := map[string]int{}
			const n = 4000
			for range n {
				g := s.Sample(rng)
				ops := s.Mutate(&g, tc.rates, rng)
				if len(ops) != 1 {
					t.Fatalf("Mutate = %v, want one operator", ops)
				}
				if tc.want != nil && !tc.want[ops[0]] {
					t.Fatalf("Mutate = %v, want one of %v", ops, tc.want)
				}
				counts[ops[0]]++
			}
			want := len(tc.want)
			if tc.want == nil {
				want = len(operators) - 1 // all but lr_schedule: the space lists no schedules
			}
			if len(counts) != want {
				t.Fatalf("operators used: %v, want %d different ones", counts, want)
			}
			if tc.want == nil {
				// lr, batch, l2 and optimizer always apply, so each gets at
				// least 1/9 of the draws; allow a wide margin.
				for _, op := range []string{"lr", "batch", "l2", "optimizer"} {
					if c := counts[op]; c < n/9*3/4 {
						t.Errorf("%s chosen %d times of %d, want about %d or more", op, c, n, n/9)
					}
				}
			}
		})
	}
}

// TestMutateFixedSpace checks that a space with every gene fixed leaves the
// genome alone.
func TestMutateFixedSpace(t *testing.T) {
	for _, tc := range testSpaces {
		if !tc.fixed {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			rng := newRand(4)
			g := tc.space.Sample(rng)
			want := g.Clone()
			for _, r := range []Rates{DefaultRates(), {}, {AddLayer: 1, RemoveLayer: 1, ResizeLayer: 1, Activation: 1, LR: 1, Batch: 1, Dropout: 1, L2: 1, Optimizer: 1}} {
				if ops := tc.space.Mutate(&g, r, rng); ops != nil {
					t.Errorf("Mutate(%+v) = %v, want nil", r, ops)
				}
				if !reflect.DeepEqual(g, want) {
					t.Errorf("Mutate changed %s to %s", want.Key(), g.Key())
				}
			}
		})
	}
}

// TestMutateUndoneChanges checks that add_layer followed by remove_layer that
// happen to restore the genome do not count as a mutation.
func TestMutateUndoneChanges(t *testing.T) {
	s := Space{
		Layers:       IntRange{1, 2},
		WidthChoices: []int{8},
		Activations:  []string{"relu"},
		LR:           FloatRange{1e-3, 1e-3},
		Batches:      []int{16, 32},
		Dropout:      FloatRange{0, 0},
		L2:           FloatRange{0, 0},
		Optimizers:   []string{"adam"},
	}
	rng := newRand(5)
	for range 200 {
		g := Genome{Layers: []Layer{{8, "relu", 0}}, LR: 1e-3, Batch: 16, Optimizer: "adam"}
		before := g.Key()
		ops := s.Mutate(&g, Rates{AddLayer: 1, RemoveLayer: 1}, rng)
		if g.Key() == before {
			t.Fatalf("Mutate = %v left the key at %s", ops, before)
		}
		// add_layer then remove_layer always restore this genome, so the
		// forced mutation must run, and it picks add_layer: batch has rate 0.
		if !slices.Equal(ops, []string{"add_layer"}) || len(g.Layers) != 2 {
			t.Fatalf("Mutate = %v giving %s, want [add_layer] giving two layers", ops, g.Key())
		}
	}
}

// TestCrossoverDepth checks that independent cut points can give a child
// deeper or shallower than both parents, and that the depth is clamped.
func TestCrossoverDepth(t *testing.T) {
	s := testSpaces[0].space // layers [0, 5]
	rng := newRand(6)
	var deeper, shallower bool
	for range 2000 {
		a, b := s.Sample(rng), s.Sample(rng)
		if len(a.Layers) == len(b.Layers) {
			continue
		}
		child := a.Clone()
		s.Crossover(&child, b, rng)
		n := len(child.Layers)
		deeper = deeper || n > max(len(a.Layers), len(b.Layers))
		shallower = shallower || n < min(len(a.Layers), len(b.Layers))
	}
	if !deeper || !shallower {
		t.Errorf("over 2000 crossovers: child deeper than both parents %v, shallower than both %v; want both", deeper, shallower)
	}

	// Two 3-layer parents in a space of depth [3, 3] must always give 3 layers.
	fixed := s
	fixed.Layers = IntRange{3, 3}
	for range 500 {
		a, b := fixed.Sample(rng), fixed.Sample(rng)
		fixed.Crossover(&a, b, rng)
		if len(a.Layers) != 3 {
			t.Fatalf("child depth %d, want 3", len(a.Layers))
		}
	}
}

// TestCrossoverGenes checks that every gene of the child comes from a parent
// and that each hyperparameter comes from either with about equal chance.
func TestCrossoverGenes(t *testing.T) {
	s := testSpaces[0].space // layers [0, 5]: no clamping of a 2- and a 3-layer parent
	a := Genome{Layers: []Layer{{10, "relu", 0.1}, {11, "relu", 0.1}}, LR: 1e-3, Batch: 16, L2: 0, Optimizer: "adam"}
	b := Genome{Layers: []Layer{{20, "tanh", 0.2}, {21, "tanh", 0.2}, {22, "tanh", 0.2}}, LR: 1e-2, Batch: 64, L2: 1e-3, Optimizer: "sgd"}
	rng := newRand(7)
	const n = 2000
	var fromMate [4]int
	for range n {
		child := a.Clone()
		s.Crossover(&child, b, rng)
		// Child layers: a prefix of a, then a suffix of b.
		k := 0
		for k < len(child.Layers) && k < len(a.Layers) && child.Layers[k] == a.Layers[k] {
			k++
		}
		if rest := child.Layers[k:]; !slices.Equal(rest, b.Layers[len(b.Layers)-len(rest):]) {
			t.Fatalf("child layers %s are not a prefix of %s then a suffix of %s", child.Arch(), a.Arch(), b.Arch())
		}
		for i, same := range []bool{child.LR == b.LR, child.Batch == b.Batch, child.L2 == b.L2, child.Optimizer == b.Optimizer} {
			if same {
				fromMate[i]++
			}
		}
		for i, from := range []bool{child.LR == a.LR || child.LR == b.LR, child.Batch == a.Batch || child.Batch == b.Batch,
			child.L2 == a.L2 || child.L2 == b.L2, child.Optimizer == a.Optimizer || child.Optimizer == b.Optimizer} {
			if !from {
				t.Fatalf("hyperparameter %d of %s comes from neither parent", i, child.Key())
			}
		}
	}
	for i, c := range fromMate {
		if math.Abs(float64(c)/n-0.5) > 0.05 {
			t.Errorf("hyperparameter %d taken from the mate %d times of %d, want about half", i, c, n)
		}
	}
}

func BenchmarkMutate(b *testing.B) {
	s := testSpaces[0].space
	rng := newRand(1)
	g := s.Sample(rng)
	r := DefaultRates()
	b.ReportAllocs()
	for b.Loop() {
		s.Mutate(&g, r, rng)
	}
}

func BenchmarkCrossover(b *testing.B) {
	s := testSpaces[0].space
	rng := newRand(1)
	g, mate := s.Sample(rng), s.Sample(rng)
	b.ReportAllocs()
	for b.Loop() {
		s.Crossover(&g, mate, rng)
	}
}

func BenchmarkDistance(b *testing.B) {
	s := testSpaces[0].space
	rng := newRand(1)
	g, h := s.Sample(rng), s.Sample(rng)
	b.ReportAllocs()
	for b.Loop() {
		Distance(g, h)
	}
}

func spaceNamed(t *testing.T, name string) Space {
	for _, tc := range testSpaces {
		if tc.name == name {
			return tc.space
		}
	}
	t.Fatalf("no test space %q", name)
	return Space{}
}

// TestMoveChoice checks that a choice moves to a neighbour by value most of
// the time and can reach any other choice.
func TestMoveChoice(t *testing.T) {
	xs := []float64{0.1, 1e-3, 0.01, 1e-4, 1} // unsorted
	rng := newRand(7)
	const n = 5000
	counts := map[float64]int{}
	for range n {
		y := moveChoice(xs, 0.01, rng)
		if y == 0.01 || !slices.Contains(xs, y) {
			t.Fatalf("moveChoice = %v, want another choice", y)
		}
		counts[y]++
	}
	// Neighbours 1e-3 and 0.1: (1-jumpProb)/2 + jumpProb/4 each = 0.45.
	for _, nb := range []float64{1e-3, 0.1} {
		if f := float64(counts[nb]) / n; math.Abs(f-0.45) > 0.03 {
			t.Errorf("neighbour %v drawn %.3f of the time, want about 0.45", nb, f)
		}
	}
	for _, far := range []float64{1e-4, 1} {
		if f := float64(counts[far]) / n; math.Abs(f-0.05) > 0.015 {
			t.Errorf("far choice %v drawn %.3f of the time, want about 0.05", far, f)
		}
	}
	// At an end, its one neighbour.
	ends := 0
	for range n {
		if moveChoice(xs, 1, rng) == 0.1 {
			ends++
		}
	}
	if f := float64(ends) / n; math.Abs(f-(1-jumpProb+jumpProb/4)) > 0.03 {
		t.Errorf("from the top end, the neighbour drawn %.3f of the time, want about %.2f", f, 1-jumpProb+jumpProb/4)
	}
}
