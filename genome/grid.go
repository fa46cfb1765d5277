package genome

import (
	"fmt"
	"math"
	"slices"
)

// MaxGridSize is the most configurations a Grid indexes.
const MaxGridSize = 1 << 40

// Grid numbers the genomes of a discrete space 0, 1, ..., Size()-1, so that
// a tabular benchmark can keep one row per genome in arrays and look a
// genome up by an integer instead of its key. A discrete space is one whose
// every numeric gene is a list of choices or fixed (Min == Max).
//
// Genomes are numbered by depth (shallowest first), then as a mixed-radix
// number whose digits are, from the most significant: each layer's width
// (unless the width is shared), activation and dropout, input side first;
// then the shared width, learning rate, batch size, L2 penalty, optimizer
// and schedule, each digit being the index of the gene's value in its list
// as the space gives it.
type Grid struct {
	minDepth    int
	widths      []int
	activations []string
	dropouts    []float64
	lrs         []float64
	batches     []int
	l2s         []float64
	optimizers  []string
	schedules   []string
	shared      bool
	noSchedules bool  // the space lists no schedule: genomes have Schedule ""
	offsets     []int // offsets[d-minDepth]: index of the first genome of depth d; one more entry for the end
	perLayer    int   // configurations of one layer
	global      int   // configurations of the genes outside layers, shared width included
}

// GridSize returns the number of distinct genomes of s, as a float64 since
// it may be astronomically large, or an error naming the first gene that is
// a range rather than a list of choices.
func (s Space) GridSize() (float64, error) {
	if err := s.discrete(); err != nil {
		return 0, err
	}
	per := float64(len(s.widths()) * len(s.Activations) * len(s.dropouts()))
	if s.SharedWidth {
		per = float64(len(s.Activations) * len(s.dropouts()))
	}
	global := float64(len(s.lrs()) * len(s.Batches) * len(s.l2s()) * len(s.Optimizers) * len(s.schedules()))
	var n float64
	for d := s.Layers.Min; d <= s.Layers.Max; d++ {
		g := global
		if s.SharedWidth && d > 0 {
			g *= float64(len(s.widths()))
		}
		n += math.Pow(per, float64(d)) * g
	}
	return n, nil
}

// discrete reports the first gene of s that is a range of more than one
// value.
func (s Space) discrete() error {
	switch {
	case len(s.WidthChoices) == 0 && s.Width.Min != s.Width.Max && s.Layers.Max > 0:
		return fmt.Errorf("search_space.width: a range [%d, %d], not a list of choices", s.Width.Min, s.Width.Max)
	case len(s.LRChoices) == 0 && s.LR.Min != s.LR.Max:
		return fmt.Errorf("search_space.lr: a range [%s, %s], not a list of choices", ff(s.LR.Min), ff(s.LR.Max))
	case len(s.DropoutChoices) == 0 && s.Dropout.Min != s.Dropout.Max && s.Layers.Max > 0:
		return fmt.Errorf("search_space.dropout: a range [%s, %s], not a list of choices", ff(s.Dropout.Min), ff(s.Dropout.Max))
	case len(s.L2Choices) == 0 && s.L2.Min != s.L2.Max:
		return fmt.Errorf("search_space.l2: a range [%s, %s], not a list of choices", ff(s.L2.Min), ff(s.L2.Max))
	}
	return nil
}

func (s Space) widths() []int {
	if len(s.WidthChoices) > 0 {
		return s.WidthChoices
	}
	return []int{s.Width.Min}
}

func (s Space) lrs() []float64 { return choicesOr(s.LRChoices, s.LR) }

func (s Space) dropouts() []float64 { return choicesOr(s.DropoutChoices, s.Dropout) }

func (s Space) l2s() []float64 { return choicesOr(s.L2Choices, s.L2) }

func choicesOr(xs []float64, r FloatRange) []float64 {
	if len(xs) > 0 {
		return xs
	}
	return []float64{r.Min}
}

// NewGrid returns the numbering of the genomes of s, which must be valid and
// discrete, with at most MaxGridSize genomes.
func NewGrid(s Space) (*Grid, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	n, err := s.GridSize()
	if err != nil {
		return nil, err
	}
	if n > MaxGridSize {
		return nil, fmt.Errorf("search_space: %.3g configurations, more than a grid indexes (%d)", n, int64(MaxGridSize))
	}
	g := &Grid{
		minDepth:    s.Layers.Min,
		widths:      slices.Clone(s.widths()),
		activations: slices.Clone(s.Activations),
		dropouts:    slices.Clone(s.dropouts()),
		lrs:         slices.Clone(s.lrs()),
		batches:     slices.Clone(s.Batches),
		l2s:         slices.Clone(s.l2s()),
		optimizers:  slices.Clone(s.Optimizers),
		schedules:   slices.Clone(s.schedules()),
		shared:      s.SharedWidth,
		noSchedules: len(s.Schedules) == 0,
	}
	g.perLayer = len(g.activations) * len(g.dropouts)
	if !g.shared {
		g.perLayer *= len(g.widths)
	}
	g.global = len(g.lrs) * len(g.batches) * len(g.l2s) * len(g.optimizers) * len(g.schedules)
	off := 0
	for d := s.Layers.Min; d <= s.Layers.Max; d++ {
		g.offsets = append(g.offsets, off)
		off += g.depthSize(d)
	}
	g.offsets = append(g.offsets, off)
	return g, nil
}

// depthSize is the number of genomes of depth d.
func (g *Grid) depthSize(d int) int {
	n := g.global
	if g.shared && d > 0 {
		n *= len(g.widths)
	}
	for range d {
		n *= g.perLayer
	}
	return n
}

// Size returns the number of genomes in the grid.
func (g *Grid) Size() int { return g.offsets[len(g.offsets)-1] }

// Index returns the number of x in the grid, or false if x is not in it.
// It allocates nothing.
func (g *Grid) Index(x Genome) (int, bool) {
	d := len(x.Layers)
	if d < g.minDepth || d >= g.minDepth+len(g.offsets)-1 {
		return 0, false
	}
	i := 0
	digit := func(k, n int) bool {
		if k < 0 {
			return false
		}
		i = i*n + k
		return true
	}
	for _, l := range x.Layers {
		if !g.shared && !digit(slices.Index(g.widths, l.Units), len(g.widths)) ||
			!digit(slices.Index(g.activations, l.Activation), len(g.activations)) ||
			!digit(floatIndex(g.dropouts, l.Dropout), len(g.dropouts)) {
			return 0, false
		}
	}
	if g.shared && d > 0 {
		w := x.Layers[0].Units
		for _, l := range x.Layers[1:] {
			if l.Units != w {
				return 0, false
			}
		}
		if !digit(slices.Index(g.widths, w), len(g.widths)) {
			return 0, false
		}
	}
	sc := ScheduleName(x.Schedule)
	if !digit(floatIndex(g.lrs, x.LR), len(g.lrs)) ||
		!digit(slices.Index(g.batches, x.Batch), len(g.batches)) ||
		!digit(floatIndex(g.l2s, x.L2), len(g.l2s)) ||
		!digit(slices.Index(g.optimizers, x.Optimizer), len(g.optimizers)) ||
		!digit(slices.IndexFunc(g.schedules, func(s string) bool { return ScheduleName(s) == sc }), len(g.schedules)) {
		return 0, false
	}
	return g.offsets[d-g.minDepth] + i, true
}

// floatIndex is the index of x in xs, exact equality (0 and -0 are equal).
func floatIndex(xs []float64, x float64) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// Genome returns the genome numbered i, 0 <= i < Size(). Its schedule is
// the space's name for it ("" when the space lists none).
func (g *Grid) Genome(i int) Genome {
	if i < 0 || i >= g.Size() {
		panic(fmt.Sprintf("genome: grid index %d outside [0, %d)", i, g.Size()))
	}
	d := 0
	for d+1 < len(g.offsets)-1 && g.offsets[d+1] <= i {
		d++
	}
	i -= g.offsets[d]
	d += g.minDepth
	// Digits come out least significant first: the last genes first.
	next := func(n int) int {
		k := i % n
		i /= n
		return k
	}
	var x Genome
	x.Schedule = g.schedules[next(len(g.schedules))]
	if g.noSchedules {
		x.Schedule = ""
	}
	x.Optimizer = g.optimizers[next(len(g.optimizers))]
	x.L2 = g.l2s[next(len(g.l2s))]
	x.Batch = g.batches[next(len(g.batches))]
	x.LR = g.lrs[next(len(g.lrs))]
	shared := 0
	if g.shared && d > 0 {
		shared = g.widths[next(len(g.widths))]
	}
	x.Layers = make([]Layer, d)
	for k := d - 1; k >= 0; k-- {
		l := &x.Layers[k]
		l.Dropout = g.dropouts[next(len(g.dropouts))]
		l.Activation = g.activations[next(len(g.activations))]
		if g.shared {
			l.Units = shared
		} else {
			l.Units = g.widths[next(len(g.widths))]
		}
	}
	return x
}
