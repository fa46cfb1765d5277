package genome

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Layer is one hidden layer of a fully connected network.
type Layer struct {
	Units      int     `json:"units"`
	Activation string  `json:"activation"` // one of KnownActivations
	Dropout    float64 `json:"dropout"`    // probability of dropping a unit during training
}

// Genome is a candidate network and its training hyperparameters.
// The input and output layers are not part of it: they follow from the data.
type Genome struct {
	Layers    []Layer `json:"layers"` // hidden layers, input side first; none means a linear or logistic model
	LR        float64 `json:"lr"`
	Batch     int     `json:"batch"`
	L2        float64 `json:"l2"`
	Optimizer string  `json:"optimizer"` // one of KnownOptimizers
	// Schedule is how the learning rate changes over the epochs, one of
	// KnownSchedules; "" is the same as "const".
	Schedule string `json:"lr_schedule,omitempty"`
}

// Clone returns a deep copy of g.
func (g Genome) Clone() Genome {
	g.Layers = slices.Clone(g.Layers)
	return g
}

// Key returns a canonical text form of every gene, such as
// "64:relu:0,32:tanh:0.1|lr=0.001|batch=32|l2=0|opt=adam". A learning rate
// schedule other than the constant one is appended ("|sched=cosine"), so
// keys of genomes without one are those of the genomes before the gene.
// Two genomes have the same key exactly when all their genes are equal, so
// the key can index a cache of evaluations.
func (g Genome) Key() string {
	b := make([]byte, 0, 48+16*len(g.Layers))
	for i, l := range g.Layers {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(l.Units), 10)
		b = append(b, ':')
		b = appendName(b, l.Activation)
		b = append(b, ':')
		b = appendFloat(b, l.Dropout)
	}
	b = append(b, "|lr="...)
	b = appendFloat(b, g.LR)
	b = append(b, "|batch="...)
	b = strconv.AppendInt(b, int64(g.Batch), 10)
	b = append(b, "|l2="...)
	b = appendFloat(b, g.L2)
	b = append(b, "|opt="...)
	b = appendName(b, g.Optimizer)
	if sc := ScheduleName(g.Schedule); sc != ConstSchedule {
		b = append(b, "|sched="...)
		b = appendName(b, sc)
	}
	return string(b)
}

// appendFloat writes x in its shortest exact form. Negative zero is written as
// zero because it compares equal to it.
func appendFloat(b []byte, x float64) []byte {
	if x == 0 {
		x = 0
	}
	return strconv.AppendFloat(b, x, 'g', -1, 64)
}

// appendName writes s bare when it is a plain name and quoted otherwise, so
// that a name holding a separator cannot make two genomes share a key.
func appendName(b []byte, s string) []byte {
	plain := s != ""
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if plain {
		return append(b, s...)
	}
	return strconv.AppendQuote(b, s)
}

// ConstSchedule is the constant learning rate, the schedule of a genome
// whose Schedule is "".
const ConstSchedule = "const"

// ScheduleName returns the schedule s names: s, or "const" for "".
func ScheduleName(s string) string {
	if s == "" {
		return ConstSchedule
	}
	return s
}

// Arch returns the hidden layers in a short human form, such as
// "[64 relu, 32 tanh d0.1]". Dropout is shown only when positive.
func (g Genome) Arch() string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, l := range g.Layers {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.Itoa(l.Units))
		sb.WriteByte(' ')
		sb.WriteString(l.Activation)
		if l.Dropout > 0 {
			sb.WriteString(" d")
			sb.WriteString(strconv.FormatFloat(l.Dropout, 'g', 3, 64))
		}
	}
	sb.WriteByte(']')
	return sb.String()
}

// Weights of the terms of Distance. A layer present in only one genome costs
// gapCost, and two aligned layers differ by at most 2*gapCost, which keeps
// Distance a metric on lists of different lengths.
const (
	gapCost      = 2.0
	activationW  = 1.0  // differing activations
	dropoutW     = 2.0  // per unit of dropout difference
	optimizerW   = 1.0  // differing optimizers
	scheduleW    = 1.0  // differing learning rate schedules
	l2Shift      = 1e-6 // l2 is compared as log10(l2 + l2Shift), so zero has a place on the scale
	minTerm      = 1e-12
	logFloor     = 1e-300
	nanMismatchW = 1.0
)

// Distance returns a dissimilarity between a and b for speciation. It is zero
// exactly when a.Key() == b.Key(), symmetric, and, for genes that are finite
// numbers, obeys the triangle inequality. It adds:
//
//   - per layer present in only one genome (layers are aligned from the
//     input side): 2;
//   - per aligned pair of layers, at most 4: |log2| of the width ratio, 1 if
//     the activations differ, and twice the dropout difference;
//   - |log10| of the learning rate ratio and |log2| of the batch size ratio;
//   - |log10((a.L2+1e-6)/(b.L2+1e-6))|;
//   - 1 if the optimizers differ;
//   - 1 if the learning rate schedules differ.
//
// So halving a layer's width, changing the learning rate tenfold, doubling the
// batch size or switching optimizer each count 1.
func Distance(a, b Genome) float64 {
	var d float64
	n := min(len(a.Layers), len(b.Layers))
	for i := range n {
		d += min(layerDistance(a.Layers[i], b.Layers[i]), 2*gapCost)
	}
	d += gapCost * float64(len(a.Layers)+len(b.Layers)-2*n)
	d += term(a.LR, b.LR, log10(a.LR), log10(b.LR))
	d += term(float64(a.Batch), float64(b.Batch), log2(float64(a.Batch)), log2(float64(b.Batch)))
	d += term(a.L2, b.L2, math.Log10(max(a.L2, 0)+l2Shift), math.Log10(max(b.L2, 0)+l2Shift))
	if a.Optimizer != b.Optimizer {
		d += optimizerW
	}
	if ScheduleName(a.Schedule) != ScheduleName(b.Schedule) {
		d += scheduleW
	}
	return d
}

func layerDistance(a, b Layer) float64 {
	d := term(float64(a.Units), float64(b.Units), log2(float64(a.Units)), log2(float64(b.Units)))
	if a.Activation != b.Activation {
		d += activationW
	}
	return d + dropoutW*term(a.Dropout, b.Dropout, a.Dropout, b.Dropout)
}

// log2 and log10 floor their argument so that values outside any space
// (zero, negative) still give a finite distance.
func log2(x float64) float64  { return math.Log2(max(x, logFloor)) }
func log10(x float64) float64 { return math.Log10(max(x, logFloor)) }

// term returns |fx - fy|, where fx and fy are x and y on the scale they are
// compared on. It is zero when x and y are the same number and at least
// minTerm otherwise, so a differing gene keeps Distance above zero even where
// the scale cannot tell the values apart (a floored logarithm, rounding).
func term(x, y, fx, fy float64) float64 {
	if sameFloat(x, y) {
		return 0
	}
	v := math.Abs(fx - fy)
	if math.IsNaN(v) { // a NaN gene
		v = nanMismatchW
	}
	return max(v, minTerm)
}

// sameFloat reports whether x and y have the same key: equal, or both NaN.
func sameFloat(x, y float64) bool {
	return x == y || math.IsNaN(x) && math.IsNaN(y)
}

// equal reports whether a and b have the same key.
func equal(a, b Genome) bool {
	return sameFloat(a.LR, b.LR) && a.Batch == b.Batch && sameFloat(a.L2, b.L2) &&
		a.Optimizer == b.Optimizer && ScheduleName(a.Schedule) == ScheduleName(b.Schedule) &&
		slices.EqualFunc(a.Layers, b.Layers, func(x, y Layer) bool {
			return x.Units == y.Units && x.Activation == y.Activation && sameFloat(x.Dropout, y.Dropout)
		})
}
