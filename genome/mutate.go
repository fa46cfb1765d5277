package genome

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"slices"
)

// Rates holds the probability of each mutation operator, each in [0, 1].
// The operator names that Mutate returns are given in the comments.
type Rates struct {
	AddLayer    float64 `json:"add_layer" yaml:"add_layer"`       // "add_layer": insert a layer
	RemoveLayer float64 `json:"remove_layer" yaml:"remove_layer"` // "remove_layer": delete a layer
	ResizeLayer float64 `json:"resize_layer" yaml:"resize_layer"` // "resize_layer": change one layer's width
	Activation  float64 `json:"activation" yaml:"activation"`     // "activation": change one layer's activation
	LR          float64 `json:"lr" yaml:"lr"`                     // "lr": perturb the learning rate
	Batch       float64 `json:"batch" yaml:"batch"`               // "batch": pick another batch size
	Dropout     float64 `json:"dropout" yaml:"dropout"`           // "dropout": perturb one layer's dropout
	L2          float64 `json:"l2" yaml:"l2"`                     // "l2": perturb the L2 penalty or toggle it off and on
	Optimizer   float64 `json:"optimizer" yaml:"optimizer"`       // "optimizer": pick another optimizer
	LRSchedule  float64 `json:"lr_schedule" yaml:"lr_schedule"`   // "lr_schedule": pick another learning rate schedule
}

// DefaultRates returns rates that change about one or two genes per
// mutation, favouring widths and the learning rate.
func DefaultRates() Rates {
	return Rates{
		AddLayer:    0.1,
		RemoveLayer: 0.1,
		ResizeLayer: 0.3,
		Activation:  0.1,
		LR:          0.3,
		Batch:       0.1,
		Dropout:     0.1,
		L2:          0.1,
		Optimizer:   0.05,
		LRSchedule:  0.1,
	}
}

func (r Rates) list() [len(operators)]float64 {
	return [...]float64{r.AddLayer, r.RemoveLayer, r.ResizeLayer, r.Activation, r.LR, r.Batch, r.Dropout, r.L2, r.Optimizer, r.LRSchedule}
}

// Validate reports every rate outside [0, 1], such as
// "mutation.add_layer: 1.5 outside [0, 1]".
func (r Rates) Validate() error {
	var errs []error
	for i, x := range r.list() {
		if !(x >= 0 && x <= 1) {
			errs = append(errs, fmt.Errorf("mutation.%s: %s outside [0, 1]", operators[i].name, ff(x)))
		}
	}
	return errors.Join(errs...)
}

// operator is a mutation: applicable reports whether it can change g, and
// apply changes g and reports whether it did; apply leaves g untouched when
// it returns false.
type operator struct {
	name       string
	applicable func(s *Space, g *Genome) bool
	apply      func(s *Space, g *Genome, rng *rand.Rand) bool
}

// operators is in the order of the fields of Rates.
var operators = [...]operator{
	{"add_layer", canAddLayer, addLayer},
	{"remove_layer", canRemoveLayer, removeLayer},
	{"resize_layer", canResize, resizeLayer},
	{"activation", canChangeActivation, changeActivation},
	{"lr", canChangeLR, changeLR},
	{"batch", canChangeBatch, changeBatch},
	{"dropout", canChangeDropout, changeDropout},
	{"l2", canChangeL2, changeL2},
	{"optimizer", canChangeOptimizer, changeOptimizer},
	{"lr_schedule", canChangeSchedule, changeSchedule},
}

// opSchedule is the index of the lr_schedule operator, the last one added:
// Mutate draws for it only where it applies, so that a space without
// schedules sees the random sequence it saw before the gene existed.
const opSchedule = len(operators) - 1

// Mutate changes g in place. It applies each operator independently with its
// probability in r. If that leaves g unchanged, it applies one operator that
// can change g, chosen with weight proportional to its rate (uniformly when
// all those rates are 0), so that a mutation always changes a gene. It
// returns the names of the operators that changed g (see Rates), in the order
// of the fields of Rates, or nil if every gene that g has is fixed in s.
//
// s must be valid and g inside s; every gene that an operator touches ends
// inside s. Mutate writes to g.Layers' backing array: clone a genome that
// shares it.
func (s Space) Mutate(g *Genome, r Rates, rng *rand.Rand) []string {
	orig := g.Clone()
	rates := r.list()
	var changed []string
	for i, op := range operators {
		if i == opSchedule && !op.applicable(&s, g) {
			continue
		}
		if rng.Float64() < rates[i] && op.applicable(&s, g) && op.apply(&s, g, rng) {
			changed = append(changed, op.name)
		}
	}
	// Operators can undo each other (remove_layer deleting the layer that
	// add_layer inserted); a mutation must change the key.
	if len(changed) > 0 && !equal(*g, orig) {
		return changed
	}

	var weights [len(operators)]float64
	for i, op := range operators {
		weights[i] = -1 // not a candidate
		if op.applicable(&s, g) {
			weights[i] = min(max(rates[i], 0), 1)
			if math.IsNaN(weights[i]) {
				weights[i] = 0
			}
		}
	}
	// An operator that applies but fails to change g (a range too narrow to
	// step in) drops out, and another is drawn.
	for {
		i := pickOperator(&weights, rng)
		if i < 0 {
			return nil
		}
		if operators[i].apply(&s, g, rng) {
			return []string{operators[i].name}
		}
		weights[i] = -1
	}
}

// pickOperator draws a candidate (weight >= 0) with probability proportional
// to its weight, or uniformly when all candidates' weights are zero. It
// returns -1 when there is no candidate.
func pickOperator(weights *[len(operators)]float64, rng *rand.Rand) int {
	var total float64
	n := 0
	for _, w := range weights {
		if w >= 0 {
			total += w
			n++
		}
	}
	if n == 0 {
		return -1
	}
	last := -1
	if total > 0 {
		x := rng.Float64() * total
		for i, w := range weights {
			if w > 0 {
				last = i
				if x < w {
					return i
				}
				x -= w
			}
		}
		return last // rounding left x just above the total
	}
	k := rng.Intn(n)
	for i, w := range weights {
		if w >= 0 {
			if k == 0 {
				return i
			}
			k--
		}
	}
	panic("genome: no candidate operator")
}

// The standard deviations of the perturbations, on the scale of each gene.
const (
	widthSigma   = 0.5 // natural log of the width
	lrSigma      = 0.3 // log10 of the learning rate
	l2Sigma      = 0.5 // log10 of the L2 penalty
	dropoutSigma = 0.1 // dropout, at most half the allowed range
	l2OffProb    = 1.0 / 3
	retries      = 16
)

func canAddLayer(s *Space, g *Genome) bool    { return len(g.Layers) < s.Layers.Max }
func canRemoveLayer(s *Space, g *Genome) bool { return len(g.Layers) > s.Layers.Min }

// addLayer inserts a layer at a random position. Its width is the geometric
// mean of its neighbours' widths times a log-normal factor, and it copies the
// activation and dropout of one neighbour, so the network changes smoothly.
func addLayer(s *Space, g *Genome, rng *rand.Rand) bool {
	p := rng.Intn(len(g.Layers) + 1)
	var l Layer
	switch {
	case len(g.Layers) == 0:
		l = s.sampleLayer(rng)
	default:
		var w float64
		var nb Layer
		switch {
		case p == 0:
			nb = g.Layers[0]
			w = float64(nb.Units)
		case p == len(g.Layers):
			nb = g.Layers[p-1]
			w = float64(nb.Units)
		default:
			a, b := g.Layers[p-1], g.Layers[p]
			w = math.Sqrt(float64(a.Units) * float64(b.Units))
			nb = a
			if rng.Intn(2) == 0 {
				nb = b
			}
		}
		if s.SharedWidth {
			l.Units = nb.Units
		} else {
			l.Units = s.nearestWidth(w * math.Exp(widthSigma*rng.NormFloat64()))
		}
		l.Activation = nb.Activation
		if !slices.Contains(s.Activations, l.Activation) {
			l.Activation = pick(s.Activations, rng)
		}
		l.Dropout = nb.Dropout
		if len(s.DropoutChoices) == 0 {
			l.Dropout = clamp(nb.Dropout, s.Dropout)
		} else if !slices.Contains(s.DropoutChoices, l.Dropout) {
			l.Dropout = pick(s.DropoutChoices, rng)
		}
	}
	g.Layers = slices.Insert(g.Layers, p, l)
	return true
}

func removeLayer(s *Space, g *Genome, rng *rand.Rand) bool {
	i := rng.Intn(len(g.Layers))
	g.Layers = slices.Delete(g.Layers, i, i+1)
	return true
}

// widthCanChange reports whether some allowed width differs from u.
func (s *Space) widthCanChange(u int) bool {
	if len(s.WidthChoices) > 0 {
		return slices.ContainsFunc(s.WidthChoices, func(c int) bool { return c != u })
	}
	return s.Width.Min < s.Width.Max || u != s.Width.Min
}

func canResize(s *Space, g *Genome) bool {
	return slices.ContainsFunc(g.Layers, func(l Layer) bool { return s.widthCanChange(l.Units) })
}

// resizeLayer multiplies one layer's width by a log-normal factor. When that
// rounds back to the same width it steps to the next allowed width in the
// factor's direction, or the other way at a bound.
func resizeLayer(s *Space, g *Genome, rng *rand.Rand) bool {
	i := pickLayer(g, rng, func(l Layer) bool { return s.widthCanChange(l.Units) })
	u := g.Layers[i].Units
	f := math.Exp(widthSigma * rng.NormFloat64())
	w := s.nearestWidth(float64(u) * f)
	if w == u {
		below, above := s.adjacentWidths(u)
		w = above
		if f < 1 && below >= 0 || above < 0 {
			w = below
		}
	}
	g.Layers[i].Units = w
	if s.SharedWidth {
		for j := range g.Layers {
			g.Layers[j].Units = w
		}
	}
	return true
}

// adjacentWidths returns the allowed widths just below and just above u, or
// -1 where there is none.
func (s *Space) adjacentWidths(u int) (below, above int) {
	below, above = -1, -1
	if len(s.WidthChoices) == 0 {
		if u > s.Width.Min {
			below = min(u-1, s.Width.Max)
		}
		if u < s.Width.Max {
			above = max(u+1, s.Width.Min)
		}
		return below, above
	}
	for _, c := range s.WidthChoices {
		if c < u && c > below {
			below = c
		}
		if c > u && (above < 0 || c < above) {
			above = c
		}
	}
	return below, above
}

// pickLayer returns the index of a layer drawn uniformly among those for
// which ok holds; there must be one.
func pickLayer(g *Genome, rng *rand.Rand, ok func(Layer) bool) int {
	n := 0
	for _, l := range g.Layers {
		if ok(l) {
			n++
		}
	}
	k := rng.Intn(n)
	for i, l := range g.Layers {
		if ok(l) {
			if k == 0 {
				return i
			}
			k--
		}
	}
	panic("genome: no layer to pick")
}

// pickOther returns an element of xs other than cur, drawn uniformly; there
// must be one.
func pickOther[T comparable](xs []T, cur T, rng *rand.Rand) T {
	n := 0
	for _, x := range xs {
		if x != cur {
			n++
		}
	}
	k := rng.Intn(n)
	for _, x := range xs {
		if x != cur {
			if k == 0 {
				return x
			}
			k--
		}
	}
	panic("genome: no other choice")
}

func hasOther[T comparable](xs []T, cur T) bool {
	return slices.ContainsFunc(xs, func(x T) bool { return x != cur })
}

func canChangeActivation(s *Space, g *Genome) bool {
	return slices.ContainsFunc(g.Layers, func(l Layer) bool { return hasOther(s.Activations, l.Activation) })
}

func changeActivation(s *Space, g *Genome, rng *rand.Rand) bool {
	i := pickLayer(g, rng, func(l Layer) bool { return hasOther(s.Activations, l.Activation) })
	g.Layers[i].Activation = pickOther(s.Activations, g.Layers[i].Activation, rng)
	return true
}

// canMove reports whether some value in r differs from x.
func canMove(x float64, r FloatRange) bool { return r.Min < r.Max || !sameFloat(x, r.Min) }

func canChangeLR(s *Space, g *Genome) bool {
	if len(s.LRChoices) > 0 {
		return hasOther(s.LRChoices, g.LR)
	}
	return canMove(g.LR, s.LR)
}

func changeLR(s *Space, g *Genome, rng *rand.Rand) bool {
	if len(s.LRChoices) > 0 {
		g.LR = moveChoice(s.LRChoices, g.LR, rng)
		return true
	}
	x, ok := perturbLog(g.LR, s.LR, lrSigma, rng)
	if ok {
		g.LR = x
	}
	return ok
}

// perturbLog multiplies x by 10^N(0, sigma^2) and clamps the result to r,
// trying the reciprocal factor when the clamp undoes the step. It reports
// false only if no value in r other than x was found.
func perturbLog(x float64, r FloatRange, sigma float64, rng *rand.Rand) (float64, bool) {
	for range retries {
		f := math.Pow(10, sigma*rng.NormFloat64())
		y := clamp(x*f, r)
		if y == x {
			y = clamp(x/f, r)
		}
		if y != x {
			return y, true
		}
	}
	// Only a range too narrow for the steps above to resolve gets here.
	for range retries {
		if y := logUniform(r, rng); y != x {
			return y, true
		}
	}
	return x, false
}

func canChangeBatch(s *Space, g *Genome) bool { return hasOther(s.Batches, g.Batch) }

func changeBatch(s *Space, g *Genome, rng *rand.Rand) bool {
	g.Batch = pickOther(s.Batches, g.Batch, rng)
	return true
}

// dropoutCanMove reports whether some allowed dropout differs from x.
func (s *Space) dropoutCanMove(x float64) bool {
	if len(s.DropoutChoices) > 0 {
		return hasOther(s.DropoutChoices, x)
	}
	return canMove(x, s.Dropout)
}

func canChangeDropout(s *Space, g *Genome) bool {
	return slices.ContainsFunc(g.Layers, func(l Layer) bool { return s.dropoutCanMove(l.Dropout) })
}

// changeDropout adds gaussian noise to one layer's dropout and clamps it,
// trying the opposite step when the clamp undoes it; a dropout from a list
// moves to another choice (moveChoice).
func changeDropout(s *Space, g *Genome, rng *rand.Rand) bool {
	i := pickLayer(g, rng, func(l Layer) bool { return s.dropoutCanMove(l.Dropout) })
	x := g.Layers[i].Dropout
	if len(s.DropoutChoices) > 0 {
		g.Layers[i].Dropout = moveChoice(s.DropoutChoices, x, rng)
		return true
	}
	sigma := min(dropoutSigma, (s.Dropout.Max-s.Dropout.Min)/2)
	for range retries {
		step := sigma * rng.NormFloat64()
		y := clamp(x+step, s.Dropout)
		if y == x {
			y = clamp(x-step, s.Dropout)
		}
		if y != x {
			g.Layers[i].Dropout = y
			return true
		}
	}
	for range retries {
		if y := uniform(s.Dropout, rng); y != x {
			g.Layers[i].Dropout = y
			return true
		}
	}
	return false
}

func canChangeL2(s *Space, g *Genome) bool {
	if len(s.L2Choices) > 0 {
		return hasOther(s.L2Choices, g.L2)
	}
	return canMove(g.L2, s.L2)
}

// changeL2 perturbs L2 on a log scale. When the space allows zero, a zero
// penalty is switched on at a log-uniform value and a non-zero one is
// switched off with probability l2OffProb.
func changeL2(s *Space, g *Genome, rng *rand.Rand) bool {
	if len(s.L2Choices) > 0 {
		g.L2 = moveChoice(s.L2Choices, g.L2, rng)
		return true
	}
	r := s.L2
	if r.Min > 0 || r.Max == 0 {
		x, ok := perturbLog(g.L2, r, l2Sigma, rng)
		if ok {
			g.L2 = x
		}
		return ok
	}
	on := FloatRange{r.Max * l2Decades, r.Max}
	switch {
	case !(g.L2 > 0):
		g.L2 = logUniform(on, rng)
		if !(g.L2 > 0) {
			// A Max so small that on.Min underflows to 0 draws 0 (the
			// log of 0 is -Inf): switch the penalty on at Max.
			g.L2 = r.Max
		}
	case rng.Float64() < l2OffProb:
		g.L2 = 0
	default:
		x, ok := perturbLog(g.L2, on, l2Sigma, rng)
		if !ok {
			x = 0
		}
		g.L2 = x
	}
	return true
}

func canChangeOptimizer(s *Space, g *Genome) bool { return hasOther(s.Optimizers, g.Optimizer) }

func changeOptimizer(s *Space, g *Genome, rng *rand.Rand) bool {
	g.Optimizer = pickOther(s.Optimizers, g.Optimizer, rng)
	return true
}

func canChangeSchedule(s *Space, g *Genome) bool {
	return len(s.Schedules) > 1 || len(s.Schedules) == 1 && !s.hasSchedule(g.Schedule)
}

func changeSchedule(s *Space, g *Genome, rng *rand.Rand) bool {
	g.Schedule = pickOther(s.Schedules, g.Schedule, rng)
	return true
}

// jumpProb is the probability that moveChoice jumps to any other choice
// rather than to a neighbouring one.
const jumpProb = 0.2

// moveChoice returns another value of a list: with probability 1-jumpProb
// a neighbour of x by value (the next one below or above, each half of the
// time, the one there is at either end), otherwise any other choice,
// uniformly. xs must hold a value other than x.
func moveChoice(xs []float64, x float64, rng *rand.Rand) float64 {
	if rng.Float64() < jumpProb {
		return pickOther(xs, x, rng)
	}
	below, above, hasBelow, hasAbove := 0.0, 0.0, false, false
	for _, c := range xs {
		if c < x && (!hasBelow || c > below) {
			below, hasBelow = c, true
		}
		if c > x && (!hasAbove || c < above) {
			above, hasAbove = c, true
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
	return pickOther(xs, x, rng) // x is NaN: no neighbour by value
}
