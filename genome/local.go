package genome

import (
	"cmp"
	"math/rand"
	"slices"
)

// A site is one gene that a local mutation may change: the depth, one
// layer's width, activation or dropout, or a training hyperparameter.
type site struct {
	gene  string // the name MutateLocal returns
	layer int    // the layer of a per-layer gene, else -1
}

// sites lists the genes of g that some other value in s could replace, in a
// fixed order: depth, then each layer's width, activation and dropout, then
// the training genes.
func (s *Space) sites(g *Genome) []site {
	var out []site
	if s.Layers.Min < s.Layers.Max {
		out = append(out, site{"depth", -1})
	}
	for i, l := range g.Layers {
		// A shared width is one gene, that of the first layer.
		if s.widthCanChange(l.Units) && (i == 0 || !s.SharedWidth) {
			out = append(out, site{"width", i})
		}
		if hasOther(s.Activations, l.Activation) {
			out = append(out, site{"activation", i})
		}
		if s.dropoutCanMove(l.Dropout) {
			out = append(out, site{"dropout", i})
		}
	}
	if canChangeLR(s, g) {
		out = append(out, site{"lr", -1})
	}
	if hasOther(s.Batches, g.Batch) {
		out = append(out, site{"batch", -1})
	}
	if canChangeL2(s, g) {
		out = append(out, site{"l2", -1})
	}
	if hasOther(s.Optimizers, g.Optimizer) {
		out = append(out, site{"optimizer", -1})
	}
	if canChangeSchedule(s, g) {
		out = append(out, site{"lr_schedule", -1})
	}
	return out
}

// MutateLocal changes exactly one gene of g to a neighbouring value and
// returns the gene's name: "depth" (a layer added or removed), "width",
// "activation" or "dropout" (of one layer; a shared width is the width of
// every layer at once), "lr", "batch", "l2", "optimizer" or "lr_schedule". The gene is drawn uniformly among those that can change, so
// that each of a space's dimensions is as likely to move as another.
// Ordered genes step to an adjacent value: the next width or batch size up
// or down, the learning rate, L2 penalty or dropout perturbed by a small
// step; a categorical gene takes another value. It returns "" and leaves g
// unchanged when every gene of g is fixed in s.
//
// This is the mutation of local search and of regularized evolution as
// benchmarked on tabular NAS benchmarks (one hyperparameter at a time), where
// it beats Mutate's several simultaneous changes at budgets of a few hundred
// evaluations (docs/search-quality.md).
//
// s must be valid and g inside s; g stays inside s. Like Mutate it writes
// to g.Layers' backing array.
func (s Space) MutateLocal(g *Genome, rng *rand.Rand) string {
	sites := s.sites(g)
	// A step that rounds back to the same value (a range narrower than the
	// step can resolve) drops its site, and another is drawn.
	for len(sites) > 0 {
		k := rng.Intn(len(sites))
		if s.step(g, sites[k], rng) {
			return sites[k].gene
		}
		sites = slices.Delete(sites, k, k+1)
	}
	return ""
}

// step moves one site of g and reports whether g changed.
func (s *Space) step(g *Genome, st site, rng *rand.Rand) bool {
	switch st.gene {
	case "depth":
		add := len(g.Layers) < s.Layers.Max
		if add && len(g.Layers) > s.Layers.Min {
			add = rng.Intn(2) == 0
		}
		if add {
			return addLayer(s, g, rng)
		}
		return removeLayer(s, g, rng)
	case "width":
		u := g.Layers[st.layer].Units
		w := s.stepWidth(u, rng)
		if s.SharedWidth {
			for i := range g.Layers {
				g.Layers[i].Units = w
			}
		}
		g.Layers[st.layer].Units = w
		return w != u
	case "activation":
		l := &g.Layers[st.layer]
		l.Activation = pickOther(s.Activations, l.Activation, rng)
		return true
	case "dropout":
		if len(s.DropoutChoices) > 0 {
			g.Layers[st.layer].Dropout = stepChoice(s.DropoutChoices, g.Layers[st.layer].Dropout, rng)
			return true
		}
		one := Genome{Layers: []Layer{g.Layers[st.layer]}}
		if !changeDropout(s, &one, rng) {
			return false
		}
		g.Layers[st.layer].Dropout = one.Layers[0].Dropout
		return true
	case "lr":
		if len(s.LRChoices) > 0 {
			g.LR = stepChoice(s.LRChoices, g.LR, rng)
			return true
		}
		return changeLR(s, g, rng)
	case "batch":
		b := stepChoice(s.Batches, g.Batch, rng)
		changed := b != g.Batch
		g.Batch = b
		return changed
	case "l2":
		if len(s.L2Choices) > 0 {
			g.L2 = stepChoice(s.L2Choices, g.L2, rng)
			return true
		}
		return changeL2(s, g, rng)
	case "optimizer":
		return changeOptimizer(s, g, rng)
	case "lr_schedule":
		return changeSchedule(s, g, rng)
	}
	panic("genome: unknown site " + st.gene)
}

// stepWidth returns an allowed width next to u: the adjacent choice above
// or below, or in a range u times a log-normal factor (resize_layer's step),
// rounded, and at least one unit away.
func (s *Space) stepWidth(u int, rng *rand.Rand) int {
	if len(s.WidthChoices) > 0 {
		return stepChoice(s.WidthChoices, u, rng)
	}
	one := Genome{Layers: []Layer{{Units: u}}}
	resizeLayer(s, &one, rng)
	return one.Layers[0].Units
}

// stepChoice returns the value of xs adjacent to cur in ascending order,
// above or below with equal probability, the only neighbour at an end of
// the order; a cur not in xs moves to the nearest value above or below it.
// xs must hold a value other than cur, and no NaN.
func stepChoice[T cmp.Ordered](xs []T, cur T, rng *rand.Rand) T {
	var below, above T
	hasBelow, hasAbove := false, false
	for _, x := range xs {
		if x < cur && (!hasBelow || x > below) {
			below, hasBelow = x, true
		}
		if x > cur && (!hasAbove || x < above) {
			above, hasAbove = x, true
		}
	}
	switch {
	case hasBelow && hasAbove:
		if rng.Intn(2) == 0 {
			return below
		}
		return above
	case hasBelow:
		return below
	case hasAbove:
		return above
	}
	return pickOther(xs, cur, rng) // cur is NaN: no neighbour by value
}
