package genome

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"slices"
	"strconv"
	"strings"
)

var (
	knownActivations = []string{"relu", "leaky_relu", "elu", "tanh", "sigmoid", "linear"}
	knownOptimizers  = []string{"adam", "sgd"}
	knownSchedules   = []string{ConstSchedule, "cosine"}
)

// KnownSchedules returns the names of the learning rate schedules a Genome
// may use: "const" and "cosine" (decay to zero over the epochs along half a
// cosine).
func KnownSchedules() []string { return slices.Clone(knownSchedules) }

// KnownActivations returns the names of the activations a Layer may use.
func KnownActivations() []string { return slices.Clone(knownActivations) }

// KnownOptimizers returns the names of the optimizers a Genome may use.
func KnownOptimizers() []string { return slices.Clone(knownOptimizers) }

// IntRange is the closed interval [Min, Max].
type IntRange struct {
	Min int `json:"min" yaml:"min"`
	Max int `json:"max" yaml:"max"`
}

// FloatRange is the closed interval [Min, Max].
type FloatRange struct {
	Min float64 `json:"min" yaml:"min"`
	Max float64 `json:"max" yaml:"max"`
}

// Space bounds every gene of a Genome. A gene is fixed when its range has
// Min == Max or its list has a single element. Each numeric gene but the
// depth takes either a range or, when its Choices field is not empty, one of
// a list of values; a space whose every gene is a list or fixed is discrete
// (see Grid), as a tabular benchmark's is.
type Space struct {
	// Layers bounds the number of hidden layers. Min may be 0: a genome
	// without hidden layers is a linear or logistic model.
	Layers IntRange `json:"layers" yaml:"layers"`
	// Width bounds the units of a layer, sampled log-uniformly. Min >= 1.
	Width IntRange `json:"width" yaml:"width"`
	// WidthChoices, when not empty, lists the allowed widths instead of Width.
	WidthChoices []int `json:"width_choices,omitempty" yaml:"width_choices,omitempty"`
	// SharedWidth makes every hidden layer of a genome have the same width
	// (a depth x width grid, as HPOBench's MLP space).
	SharedWidth bool `json:"shared_width,omitempty" yaml:"shared_width,omitempty"`
	// Activations lists the allowed activations, each one of KnownActivations.
	Activations []string `json:"activations" yaml:"activations"`
	// LR bounds the learning rate, sampled log-uniformly. 0 < Min.
	LR FloatRange `json:"lr" yaml:"lr"`
	// LRChoices, when not empty, lists the allowed learning rates instead of LR.
	LRChoices []float64 `json:"lr_choices,omitempty" yaml:"lr_choices,omitempty"`
	// Batches lists the allowed batch sizes, each at least 1.
	Batches []int `json:"batches" yaml:"batches"`
	// Dropout bounds the dropout of a layer, sampled uniformly. 0 <= Min <= Max < 1.
	Dropout FloatRange `json:"dropout" yaml:"dropout"`
	// DropoutChoices, when not empty, lists the allowed dropouts instead of Dropout.
	DropoutChoices []float64 `json:"dropout_choices,omitempty" yaml:"dropout_choices,omitempty"`
	// L2 bounds the L2 penalty. 0 <= Min. It is sampled log-uniformly when
	// Min > 0; when Min == 0 < Max it is zero half of the time and otherwise
	// log-uniform in [Max/1000, Max].
	L2 FloatRange `json:"l2" yaml:"l2"`
	// L2Choices, when not empty, lists the allowed L2 penalties instead of L2.
	L2Choices []float64 `json:"l2_choices,omitempty" yaml:"l2_choices,omitempty"`
	// Optimizers lists the allowed optimizers, each one of KnownOptimizers.
	Optimizers []string `json:"optimizers" yaml:"optimizers"`
	// Schedules lists the allowed learning rate schedules, each one of
	// KnownSchedules; empty means the constant one only, and leaves the
	// gene "".
	Schedules []string `json:"lr_schedules,omitempty" yaml:"lr_schedules,omitempty"`
}

// l2Decades is how far below L2.Max a non-zero L2 may be sampled when
// L2.Min is 0: log-uniform over a range starting at zero is undefined.
const l2Decades = 1e-3

// Validate reports every field of s that does not describe a usable space.
// Errors name the field as it is written in a configuration file, such as
// "search_space.layers: min 3 above max 2".
func (s Space) Validate() error {
	var errs []error
	add := func(field, msg string) { errs = append(errs, errors.New("search_space."+field+": "+msg)) }

	if s.Layers.Min < 0 {
		add("layers", fmt.Sprintf("min %d below 0", s.Layers.Min))
	}
	if s.Layers.Min > s.Layers.Max {
		add("layers", fmt.Sprintf("min %d above max %d", s.Layers.Min, s.Layers.Max))
	}
	if len(s.WidthChoices) > 0 {
		for i, w := range s.WidthChoices {
			if w < 1 {
				add("width_choices", fmt.Sprintf("%d below 1", w))
			} else if slices.Contains(s.WidthChoices[:i], w) {
				add("width_choices", fmt.Sprintf("duplicate %d", w))
			}
		}
	} else {
		if s.Width.Min < 1 {
			add("width", fmt.Sprintf("min %d below 1", s.Width.Min))
		}
		if s.Width.Min > s.Width.Max {
			add("width", fmt.Sprintf("min %d above max %d", s.Width.Min, s.Width.Max))
		}
	}
	validNames(add, "activations", "activation", s.Activations, knownActivations)

	if len(s.LRChoices) > 0 {
		validChoices(add, "lr_choices", s.LRChoices, func(x float64) string {
			if !(x > 0) || !finite(x) {
				return "must be above 0 and finite"
			}
			return ""
		})
	} else {
		switch {
		case !finite(s.LR.Min) || !finite(s.LR.Max):
			add("lr", fmt.Sprintf("min %s and max %s must be finite", ff(s.LR.Min), ff(s.LR.Max)))
		case s.LR.Min <= 0:
			add("lr", fmt.Sprintf("min %s must be above 0", ff(s.LR.Min)))
		case s.LR.Min > s.LR.Max:
			add("lr", fmt.Sprintf("min %s above max %s", ff(s.LR.Min), ff(s.LR.Max)))
		}
	}

	if len(s.Batches) == 0 {
		add("batches", "empty (want one or more batch sizes)")
	}
	for i, b := range s.Batches {
		if b < 1 {
			add("batches", fmt.Sprintf("%d below 1", b))
		} else if slices.Contains(s.Batches[:i], b) {
			add("batches", fmt.Sprintf("duplicate %d", b))
		}
	}

	if len(s.DropoutChoices) > 0 {
		validChoices(add, "dropout_choices", s.DropoutChoices, func(x float64) string {
			if !(x >= 0 && x < 1) {
				return "outside [0, 1)"
			}
			return ""
		})
	} else {
		switch {
		case !finite(s.Dropout.Min) || !finite(s.Dropout.Max):
			add("dropout", fmt.Sprintf("min %s and max %s must be finite", ff(s.Dropout.Min), ff(s.Dropout.Max)))
		case s.Dropout.Min < 0:
			add("dropout", fmt.Sprintf("min %s below 0", ff(s.Dropout.Min)))
		case s.Dropout.Min > s.Dropout.Max:
			add("dropout", fmt.Sprintf("min %s above max %s", ff(s.Dropout.Min), ff(s.Dropout.Max)))
		case s.Dropout.Max >= 1:
			add("dropout", fmt.Sprintf("max %s must be below 1", ff(s.Dropout.Max)))
		}
	}

	if len(s.L2Choices) > 0 {
		validChoices(add, "l2_choices", s.L2Choices, func(x float64) string {
			if !(x >= 0) || !finite(x) {
				return "must be at least 0 and finite"
			}
			return ""
		})
	} else {
		switch {
		case !finite(s.L2.Min) || !finite(s.L2.Max):
			add("l2", fmt.Sprintf("min %s and max %s must be finite", ff(s.L2.Min), ff(s.L2.Max)))
		case s.L2.Min < 0:
			add("l2", fmt.Sprintf("min %s below 0", ff(s.L2.Min)))
		case s.L2.Min > s.L2.Max:
			add("l2", fmt.Sprintf("min %s above max %s", ff(s.L2.Min), ff(s.L2.Max)))
		}
	}

	validNames(add, "optimizers", "optimizer", s.Optimizers, knownOptimizers)
	if len(s.Schedules) > 0 {
		validNames(add, "lr_schedules", "schedule", s.Schedules, knownSchedules)
	}
	return errors.Join(errs...)
}

// validChoices checks a list of distinct values, each accepted by bad
// (which returns "" or what is wrong).
func validChoices(add func(field, msg string), field string, xs []float64, bad func(float64) string) {
	for i, x := range xs {
		if msg := bad(x); msg != "" {
			add(field, ff(x)+" "+msg)
		} else if slices.Contains(xs[:i], x) {
			add(field, "duplicate "+ff(x))
		}
	}
}

// validNames checks a non-empty list of distinct names, each among known.
func validNames(add func(field, msg string), field, what string, names, known []string) {
	want := strings.Join(known, ", ")
	if len(names) == 0 {
		add(field, fmt.Sprintf("empty (want one or more of %s)", want))
	}
	for i, n := range names {
		if !slices.Contains(known, n) {
			add(field, fmt.Sprintf("unknown %s %q (want %s)", what, n, want))
		} else if slices.Contains(names[:i], n) {
			add(field, fmt.Sprintf("duplicate %s %q", what, n))
		}
	}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// ff formats x the way it is written in a configuration file.
func ff(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// Contains returns nil if every gene of g lies inside s, and otherwise an
// error for each gene outside, such as
// "genome: layers[1].units: 300 outside search_space.width [8, 256]".
func (s Space) Contains(g Genome) error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf("genome: "+format, args...)) }

	if n := len(g.Layers); n < s.Layers.Min || n > s.Layers.Max {
		add("layers: depth %d outside search_space.layers [%d, %d]", n, s.Layers.Min, s.Layers.Max)
	}
	if s.SharedWidth {
		for i, l := range g.Layers {
			if l.Units != g.Layers[0].Units {
				add("layers[%d].units: %d differs from layers[0].units %d with search_space.shared_width", i, l.Units, g.Layers[0].Units)
			}
		}
	}
	for i, l := range g.Layers {
		if len(s.WidthChoices) > 0 {
			if !slices.Contains(s.WidthChoices, l.Units) {
				add("layers[%d].units: %d not in search_space.width_choices %v", i, l.Units, s.WidthChoices)
			}
		} else if l.Units < s.Width.Min || l.Units > s.Width.Max {
			add("layers[%d].units: %d outside search_space.width [%d, %d]", i, l.Units, s.Width.Min, s.Width.Max)
		}
		if !slices.Contains(s.Activations, l.Activation) {
			add("layers[%d].activation: %q not in search_space.activations %v", i, l.Activation, s.Activations)
		}
		if len(s.DropoutChoices) > 0 {
			if !slices.Contains(s.DropoutChoices, l.Dropout) {
				add("layers[%d].dropout: %s not in search_space.dropout_choices %v", i, ff(l.Dropout), s.DropoutChoices)
			}
		} else if !inside(l.Dropout, s.Dropout) {
			add("layers[%d].dropout: %s outside search_space.dropout [%s, %s]", i, ff(l.Dropout), ff(s.Dropout.Min), ff(s.Dropout.Max))
		}
	}
	if len(s.LRChoices) > 0 {
		if !slices.Contains(s.LRChoices, g.LR) {
			add("lr: %s not in search_space.lr_choices %v", ff(g.LR), s.LRChoices)
		}
	} else if !inside(g.LR, s.LR) {
		add("lr: %s outside search_space.lr [%s, %s]", ff(g.LR), ff(s.LR.Min), ff(s.LR.Max))
	}
	if !slices.Contains(s.Batches, g.Batch) {
		add("batch: %d not in search_space.batches %v", g.Batch, s.Batches)
	}
	if len(s.L2Choices) > 0 {
		if !slices.Contains(s.L2Choices, g.L2) {
			add("l2: %s not in search_space.l2_choices %v", ff(g.L2), s.L2Choices)
		}
	} else if !inside(g.L2, s.L2) {
		add("l2: %s outside search_space.l2 [%s, %s]", ff(g.L2), ff(s.L2.Min), ff(s.L2.Max))
	}
	if !slices.Contains(s.Optimizers, g.Optimizer) {
		add("optimizer: %q not in search_space.optimizers %v", g.Optimizer, s.Optimizers)
	}
	if !s.hasSchedule(g.Schedule) {
		add("lr_schedule: %q not in search_space.lr_schedules %v", ScheduleName(g.Schedule), s.schedules())
	}
	return errors.Join(errs...)
}

// inside reports whether x lies in r; NaN never does.
func inside(x float64, r FloatRange) bool { return x >= r.Min && x <= r.Max }

// Sample returns a random genome inside s, which must be valid.
func (s Space) Sample(rng *rand.Rand) Genome {
	layers := make([]Layer, intIn(s.Layers, rng))
	for i := range layers {
		layers[i] = s.sampleLayer(rng)
	}
	s.shareWidth(layers, rng)
	g := Genome{
		Layers:    layers,
		LR:        s.sampleLR(rng),
		Batch:     pick(s.Batches, rng),
		L2:        s.sampleL2(rng),
		Optimizer: pick(s.Optimizers, rng),
	}
	if len(s.Schedules) > 0 {
		g.Schedule = pick(s.Schedules, rng)
	}
	return g
}

// shareWidth gives every layer the width of one of them, drawn uniformly,
// when s.SharedWidth is set. With widths drawn independently, the shared
// width is then distributed as a single layer's.
func (s *Space) shareWidth(layers []Layer, rng *rand.Rand) {
	if !s.SharedWidth || len(layers) < 2 {
		return
	}
	w := layers[rng.Intn(len(layers))].Units
	for i := range layers {
		layers[i].Units = w
	}
}

func (s *Space) sampleLayer(rng *rand.Rand) Layer {
	return Layer{
		Units:      s.sampleWidth(rng),
		Activation: pick(s.Activations, rng),
		Dropout:    s.sampleDropout(rng),
	}
}

func (s *Space) sampleLR(rng *rand.Rand) float64 {
	if len(s.LRChoices) > 0 {
		return pick(s.LRChoices, rng)
	}
	return logUniform(s.LR, rng)
}

func (s *Space) sampleDropout(rng *rand.Rand) float64 {
	if len(s.DropoutChoices) > 0 {
		return pick(s.DropoutChoices, rng)
	}
	return uniform(s.Dropout, rng)
}

// schedules returns the allowed schedules, the constant one when the list
// is empty.
func (s *Space) schedules() []string {
	if len(s.Schedules) == 0 {
		return []string{ConstSchedule}
	}
	return s.Schedules
}

func (s *Space) hasSchedule(name string) bool {
	name = ScheduleName(name)
	if len(s.Schedules) == 0 {
		return name == ConstSchedule
	}
	return slices.ContainsFunc(s.Schedules, func(x string) bool { return ScheduleName(x) == name })
}

// sampleWidth draws a width log-uniformly: the floor of a log-uniform real in
// [Min, Max+1), so that each octave of widths is equally likely.
func (s *Space) sampleWidth(rng *rand.Rand) int {
	if len(s.WidthChoices) > 0 {
		return pick(s.WidthChoices, rng)
	}
	if s.Width.Min == s.Width.Max {
		return s.Width.Min
	}
	lo, hi := math.Log(float64(s.Width.Min)), math.Log(float64(s.Width.Max)+1)
	w := int(math.Exp(lo + rng.Float64()*(hi-lo)))
	return min(max(w, s.Width.Min), s.Width.Max)
}

func (s *Space) sampleL2(rng *rand.Rand) float64 {
	if len(s.L2Choices) > 0 {
		return pick(s.L2Choices, rng)
	}
	if s.L2.Min > 0 || s.L2.Max == 0 {
		return logUniform(s.L2, rng)
	}
	if rng.Intn(2) == 0 {
		return 0
	}
	return logUniform(FloatRange{s.L2.Max * l2Decades, s.L2.Max}, rng)
}

// nearestWidth returns the allowed width closest to w on a log scale.
func (s *Space) nearestWidth(w float64) int {
	if math.IsNaN(w) || w < 1 {
		w = 1
	}
	if len(s.WidthChoices) == 0 {
		w = min(max(w, float64(s.Width.Min)), float64(s.Width.Max))
		return min(max(int(math.Round(w)), s.Width.Min), s.Width.Max)
	}
	best, bestD := s.WidthChoices[0], math.Inf(1)
	for _, c := range s.WidthChoices {
		if d := math.Abs(math.Log(float64(c)) - math.Log(w)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func intIn(r IntRange, rng *rand.Rand) int {
	if r.Min == r.Max {
		return r.Min
	}
	return r.Min + rng.Intn(r.Max-r.Min+1)
}

func pick[T any](xs []T, rng *rand.Rand) T {
	if len(xs) == 1 {
		return xs[0]
	}
	return xs[rng.Intn(len(xs))]
}

func uniform(r FloatRange, rng *rand.Rand) float64 {
	if r.Min == r.Max {
		return r.Min
	}
	return clamp(r.Min+rng.Float64()*(r.Max-r.Min), r)
}

// logUniform draws from r log-uniformly; r.Min must be positive unless
// r.Min == r.Max.
func logUniform(r FloatRange, rng *rand.Rand) float64 {
	if r.Min == r.Max {
		return r.Min
	}
	lo, hi := math.Log(r.Min), math.Log(r.Max)
	return clamp(math.Exp(lo+rng.Float64()*(hi-lo)), r)
}

// clamp returns x limited to r; NaN becomes r.Min.
func clamp(x float64, r FloatRange) float64 {
	if !(x >= r.Min) {
		return r.Min
	}
	if x > r.Max {
		return r.Max
	}
	return x
}
