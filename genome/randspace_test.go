package genome

import (
	"math"
	"math/rand"
	"reflect"
	"slices"
	"testing"
)

// randomSpace draws a valid space whose every gene takes one of the shapes
// a config may give it, the degenerate ones often: a fixed value, a single
// choice, a range narrower than a mutation's step, bounds at the limits a
// config allows (width 1 and 4096, lr 10, l2 1) and below what a float64
// resolves (a subnormal l2 or dropout).
func randomSpace(rng *rand.Rand) Space {
	oneOf := func(xs ...float64) float64 { return xs[rng.Intn(len(xs))] }
	var s Space
	lo := rng.Intn(3)
	s.Layers = IntRange{lo, lo + []int{0, 0, 1, 3}[rng.Intn(4)]}
	switch rng.Intn(4) {
	case 0:
		s.WidthChoices = rng.Perm(6)[:1+rng.Intn(3)]
		for i := range s.WidthChoices {
			s.WidthChoices[i] = 1 << (2 * s.WidthChoices[i])
		}
	default:
		w := []int{1, 2, 7, 4095, 4096}[rng.Intn(5)]
		s.Width = IntRange{w, min(4096, w+[]int{0, 1, 100, 4096}[rng.Intn(4)])}
	}
	s.SharedWidth = rng.Intn(3) == 0
	s.Activations = pickSome(knownActivations, rng)
	switch rng.Intn(4) {
	case 0:
		s.LRChoices = []float64{1e-3, 10, 0.1}[:1+rng.Intn(3)]
	default:
		m := oneOf(5e-324, 1e-300, 1e-3, 10)
		s.LR = FloatRange{m, min(10, oneOf(m, math.Nextafter(m, 11), m*(1+1e-15), m*1e3))}
	}
	s.Batches = []int{65536, 1, 32}[:1+rng.Intn(3)]
	switch rng.Intn(4) {
	case 0:
		s.DropoutChoices = []float64{0.5, 0, 5e-324}[:1+rng.Intn(3)]
	default:
		m := oneOf(0, 5e-324, 0.3, 0.9)
		s.Dropout = FloatRange{m, oneOf(m, math.Nextafter(m, 1), min(m+0.05, 0.95))}
	}
	switch rng.Intn(4) {
	case 0:
		s.L2Choices = []float64{0, 1, 5e-324}[:1+rng.Intn(3)]
	default:
		m := oneOf(0, 0, 5e-324, 1e-5)
		s.L2 = FloatRange{m, oneOf(m, 5e-324, 1e-320, 1e-300, 1)}
		s.L2.Max = max(s.L2.Max, m)
	}
	s.Optimizers = pickSome(knownOptimizers, rng)
	if rng.Intn(2) == 0 {
		s.Schedules = pickSome(knownSchedules, rng)
	}
	return s
}

// pickSome returns 1 to len(xs) distinct elements of xs in random order.
func pickSome(xs []string, rng *rand.Rand) []string {
	var out []string
	for _, i := range rng.Perm(len(xs))[:1+rng.Intn(len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

// TestOperatorsOnRandomSpaces is the property test of every operator over
// many random, often degenerate spaces: Sample, Mutate, MutateLocal and
// Crossover keep genomes inside; a mutation that reports a change changes
// the key, and one that reports none changes nothing and happens only when
// nothing can change.
func TestOperatorsOnRandomSpaces(t *testing.T) {
	const (
		spaces = 400
		steps  = 60
	)
	rng := newRand(11)
	rates := []Rates{DefaultRates(), {}, {L2: 1}, {AddLayer: 1, RemoveLayer: 1, ResizeLayer: 1, Activation: 1, LR: 1, Batch: 1, Dropout: 1, L2: 1, Optimizer: 1, LRSchedule: 1}}
	for n := range spaces {
		s := randomSpace(rng)
		if err := s.Validate(); err != nil {
			t.Fatalf("space %d: %+v: Validate: %v", n, s, err)
		}
		pop := []Genome{s.Sample(rng), s.Sample(rng), s.Sample(rng)}
		for _, g := range pop {
			if err := s.Contains(g); err != nil {
				t.Fatalf("space %d: %+v: Sample: %v", n, s, err)
			}
		}
		for step := range steps {
			g := &pop[rng.Intn(len(pop))]
			before := g.Clone()
			var what string
			var changed bool
			switch rng.Intn(3) {
			case 0:
				ops := s.Mutate(g, rates[step%len(rates)], rng)
				what, changed = "Mutate", len(ops) > 0
			case 1:
				gene := s.MutateLocal(g, rng)
				what, changed = "MutateLocal", gene != ""
			default:
				mate := pop[rng.Intn(len(pop))]
				mateBefore := mate.Clone()
				s.Crossover(g, mate, rng)
				if !reflect.DeepEqual(mate, mateBefore) {
					t.Fatalf("space %d: %+v: Crossover changed the mate %s to %s", n, s, mateBefore.Key(), mate.Key())
				}
				if err := s.Contains(*g); err != nil {
					t.Fatalf("space %d: %+v: Crossover of %s and %s: %v", n, s, before.Key(), mate.Key(), err)
				}
				continue
			}
			if err := s.Contains(*g); err != nil {
				t.Fatalf("space %d: %+v: %s of %s: %v", n, s, what, before.Key(), err)
			}
			switch {
			case changed && g.Key() == before.Key():
				t.Fatalf("space %d: %+v: %s reported a change but left %s", n, s, what, before.Key())
			case !changed && !reflect.DeepEqual(*g, before):
				t.Fatalf("space %d: %+v: %s reported no change but changed %s to %s", n, s, what, before.Key(), g.Key())
			case !changed && len(s.sites(g)) > 0 && !slices.ContainsFunc(s.sites(g), func(st site) bool { return tooFine(s, *g, st) }):
				t.Fatalf("space %d: %+v: %s changed nothing in %s, whose genes %v can change", n, s, what, g.Key(), s.sites(g))
			}
		}
	}
}

// tooFine reports whether site st of g lies in a range whose values float64
// arithmetic cannot step between by multiplying or adding (a subnormal
// range): such a gene may stay put.
func tooFine(s Space, g Genome, st site) bool {
	switch st.gene {
	case "lr":
		return len(s.LRChoices) == 0 && s.LR.Max < 1e-300
	case "l2":
		return len(s.L2Choices) == 0 && s.L2.Max < 1e-300
	case "dropout":
		return len(s.DropoutChoices) == 0 && s.Dropout.Max-s.Dropout.Min < 1e-300
	}
	return false
}
