package network

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Head is the output layer and its loss, chosen by the task.
type Head int

// The output heads.
const (
	// Binary is one sigmoid output with binary cross-entropy.
	Binary Head = iota
	// Softmax is k outputs with softmax cross-entropy.
	Softmax
	// Regression is linear outputs with mean squared error.
	Regression
)

var headNames = [...]string{"binary", "softmax", "regression"}

func (h Head) String() string {
	if h < 0 || int(h) >= len(headNames) {
		return fmt.Sprintf("Head(%d)", int(h))
	}
	return headNames[h]
}

// MarshalText implements encoding.TextMarshaler.
func (h Head) MarshalText() ([]byte, error) {
	if h < 0 || int(h) >= len(headNames) {
		return nil, fmt.Errorf("network: invalid head %d", int(h))
	}
	return []byte(h.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *Head) UnmarshalText(b []byte) error {
	for i, n := range headNames {
		if string(b) == n {
			*h = Head(i)
			return nil
		}
	}
	return fmt.Errorf("unknown head %q", b)
}

// Layer describes one hidden layer.
type Layer struct {
	Units      int        `json:"units"`
	Activation Activation `json:"activation"`
	Dropout    float64    `json:"dropout,omitempty"` // inverted dropout rate during training
}

// Spec describes a net's shape.
type Spec struct {
	Inputs  int     `json:"inputs"`
	Hidden  []Layer `json:"hidden"`
	Outputs int     `json:"outputs"` // classes for Softmax; 1 for Binary; targets for Regression
	Head    Head    `json:"head"`
}

// Validate reports whether the spec describes a net that can be built.
func (s Spec) Validate() error {
	if s.Inputs < 1 {
		return fmt.Errorf("network: %d inputs", s.Inputs)
	}
	for i, l := range s.Hidden {
		if l.Units < 1 {
			return fmt.Errorf("network: hidden layer %d has %d units", i+1, l.Units)
		}
		if l.Activation < 0 || int(l.Activation) >= len(activationNames) {
			return fmt.Errorf("network: hidden layer %d has invalid activation %d", i+1, int(l.Activation))
		}
		if !(l.Dropout >= 0 && l.Dropout < 1) {
			return fmt.Errorf("network: hidden layer %d has dropout %g outside [0, 1)", i+1, l.Dropout)
		}
	}
	switch s.Head {
	case Binary:
		if s.Outputs != 1 {
			return fmt.Errorf("network: binary head needs 1 output, got %d", s.Outputs)
		}
	case Softmax:
		if s.Outputs < 2 {
			return fmt.Errorf("network: softmax head needs at least 2 outputs, got %d", s.Outputs)
		}
	case Regression:
		if s.Outputs < 1 {
			return fmt.Errorf("network: regression head needs at least 1 output, got %d", s.Outputs)
		}
	default:
		return fmt.Errorf("network: invalid head %d", int(s.Head))
	}
	return nil
}

// Params returns the number of weights and biases of a net of this spec.
func (s Spec) Params() int {
	n, in := 0, s.Inputs
	for _, l := range s.Hidden {
		n += (in + 1) * l.Units
		in = l.Units
	}
	return n + (in+1)*s.Outputs
}

// Net is a feed-forward dense net. Its weights live in one slice, layer
// after layer, each layer's weight matrix (inputs x units, row-major)
// followed by its biases, so optimizers update every parameter in one loop.
type Net struct {
	spec   Spec
	params []float64
	layers []layerView
}

// layerView locates one layer's weights and biases in a parameter slice.
type layerView struct {
	in, out    int
	w, b       int // offsets of weights and biases
	activation Activation
	dropout    float64
	output     bool
}

// New returns a net of the given spec with weights drawn from seed: He
// normal for the relu family, Glorot uniform for the others and the output
// layer, zero biases.
func New(spec Spec, seed uint64) (*Net, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	n := newNet(spec)
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	for _, l := range n.layers {
		w := n.params[l.w : l.w+l.in*l.out]
		if !l.output && l.activation.reluFamily() {
			sd := math.Sqrt(2 / float64(l.in))
			for i := range w {
				w[i] = rng.NormFloat64() * sd
			}
		} else {
			lim := math.Sqrt(6 / float64(l.in+l.out))
			for i := range w {
				w[i] = (2*rng.Float64() - 1) * lim
			}
		}
	}
	return n, nil
}

func newNet(spec Spec) *Net {
	spec.Hidden = append([]Layer(nil), spec.Hidden...)
	n := &Net{spec: spec, params: make([]float64, spec.Params())}
	in, off := spec.Inputs, 0
	for _, l := range spec.Hidden {
		n.layers = append(n.layers, layerView{in: in, out: l.Units, w: off, b: off + in*l.Units, activation: l.Activation, dropout: l.Dropout})
		off += (in + 1) * l.Units
		in = l.Units
	}
	n.layers = append(n.layers, layerView{in: in, out: spec.Outputs, w: off, b: off + in*spec.Outputs, activation: Linear, output: true})
	return n
}

// Spec returns the net's spec.
func (n *Net) Spec() Spec {
	s := n.spec
	s.Hidden = append([]Layer(nil), s.Hidden...)
	return s
}

// Params returns the number of parameters.
func (n *Net) Params() int { return len(n.params) }

// Weights returns a copy of every parameter in the net's layout.
func (n *Net) Weights() []float64 { return append([]float64(nil), n.params...) }

// SetWeights replaces every parameter.
func (n *Net) SetWeights(w []float64) error {
	if len(w) != len(n.params) {
		return fmt.Errorf("network: %d weights for a net of %d parameters", len(w), len(n.params))
	}
	for i, v := range w {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("network: weight %d is %v", i, v)
		}
	}
	copy(n.params, w)
	return nil
}

// Clone returns an independent copy of the net.
func (n *Net) Clone() *Net {
	c := newNet(n.spec)
	copy(c.params, n.params)
	return c
}

// Predict writes the net's outputs for rows inputs (row-major, rows x
// Inputs) into out (rows x Outputs): class probabilities for Softmax, the
// probability of class 1 for Binary, values for Regression. It returns out,
// allocated when nil or too short.
func (n *Net) Predict(x []float64, rows int, out []float64) []float64 {
	if len(x) < rows*n.spec.Inputs {
		panic("network: input shorter than rows x inputs")
	}
	k := n.spec.Outputs
	if len(out) < rows*k {
		out = make([]float64, rows*k)
	}
	out = out[:rows*k]
	ev := newEvaluator(n, min(rows, evalChunk))
	for r := 0; r < rows; r += ev.cap {
		m := min(ev.cap, rows-r)
		logits := ev.forward(x[r*n.spec.Inputs:(r+m)*n.spec.Inputs], m)
		dst := out[r*k : (r+m)*k]
		copy(dst, logits)
		switch n.spec.Head {
		case Softmax:
			for i := 0; i < m; i++ {
				softmaxInPlace(dst[i*k : (i+1)*k])
			}
		case Binary:
			for i := range dst {
				dst[i] = sigmoid(dst[i])
			}
		}
	}
	return out
}

func softmaxInPlace(z []float64) {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = max(mx, v)
	}
	s := 0.0
	for i, v := range z {
		e := math.Exp(v - mx)
		z[i] = e
		s += e
	}
	for i := range z {
		z[i] /= s
	}
}

// ErrDiverged is matched by errors.Is for every *DivergedError.
var ErrDiverged = errors.New("network: training diverged")

// DivergedError reports a training whose loss or weights stopped being finite.
type DivergedError struct {
	Epoch  int    // 1-based epoch in which it happened
	Reason string // what was not finite
}

func (e *DivergedError) Error() string {
	return fmt.Sprintf("network: training diverged in epoch %d: %s", e.Epoch, e.Reason)
}

// Is makes errors.Is(err, ErrDiverged) true.
func (e *DivergedError) Is(target error) bool { return target == ErrDiverged }
