package network

import (
	"fmt"
	"math"
	"strings"
)

// Activation is a hidden layer's nonlinearity.
type Activation int

// The activations a hidden layer can use.
const (
	ReLU Activation = iota
	LeakyReLU
	ELU
	Tanh
	Sigmoid
	Linear
)

var activationNames = [...]string{"relu", "leaky_relu", "elu", "tanh", "sigmoid", "linear"}

// leakySlope is LeakyReLU's slope below zero (PyTorch's default).
const leakySlope = 0.01

func (a Activation) String() string {
	if a < 0 || int(a) >= len(activationNames) {
		return fmt.Sprintf("Activation(%d)", int(a))
	}
	return activationNames[a]
}

// ParseActivation returns the activation with the given name.
func ParseActivation(s string) (Activation, error) {
	for i, n := range activationNames {
		if s == n {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("unknown activation %q (want %s)", s, strings.Join(activationNames[:], ", "))
}

// MarshalText implements encoding.TextMarshaler.
func (a Activation) MarshalText() ([]byte, error) {
	if a < 0 || int(a) >= len(activationNames) {
		return nil, fmt.Errorf("network: invalid activation %d", int(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Activation) UnmarshalText(b []byte) error {
	v, err := ParseActivation(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// reluFamily reports whether He initialization suits the activation.
func (a Activation) reluFamily() bool { return a == ReLU || a == LeakyReLU || a == ELU }

// apply adds the bias to each row of z (rows x len(bias)) and applies the
// activation in place.
func (a Activation) apply(z []float64, bias []float64) {
	n := len(bias)
	switch a {
	case ReLU:
		for i := 0; i+n <= len(z); i += n {
			row := z[i : i+n]
			for j, b := range bias {
				v := row[j] + b
				if v < 0 {
					v = 0
				}
				row[j] = v
			}
		}
	case LeakyReLU:
		for i := 0; i+n <= len(z); i += n {
			row := z[i : i+n]
			for j, b := range bias {
				v := row[j] + b
				if v < 0 {
					v *= leakySlope
				}
				row[j] = v
			}
		}
	case ELU:
		for i := 0; i+n <= len(z); i += n {
			row := z[i : i+n]
			for j := eluKernel(row, bias); j < n; j++ {
				v := row[j] + bias[j]
				if v < 0 {
					v = math.Expm1(v)
				}
				row[j] = v
			}
		}
	case Tanh:
		for i := 0; i+n <= len(z); i += n {
			row := z[i : i+n]
			for j := tanhKernel(row, bias); j < n; j++ {
				row[j] = math.Tanh(row[j] + bias[j])
			}
		}
	case Sigmoid:
		for i := 0; i+n <= len(z); i += n {
			row := z[i : i+n]
			for j, b := range bias {
				row[j] = sigmoid(row[j] + b)
			}
		}
	default: // Linear
		addBias(z, bias)
	}
}

// backprop multiplies g in place by the activation's derivative, written in
// terms of the activation's output a (every derivative here can be).
func (a Activation) backprop(g, out []float64) {
	out = out[:len(g)]
	switch a {
	case ReLU:
		for i, v := range out {
			if v <= 0 {
				g[i] = 0
			}
		}
	case LeakyReLU:
		for i, v := range out {
			if v <= 0 {
				g[i] *= leakySlope
			}
		}
	case ELU:
		for i, v := range out {
			if v < 0 {
				g[i] *= v + 1
			}
		}
	case Tanh:
		for i, v := range out {
			g[i] *= 1 - v*v
		}
	case Sigmoid:
		for i, v := range out {
			g[i] *= v * (1 - v)
		}
	}
}

func addBias(z, bias []float64) {
	n := len(bias)
	for i := 0; i+n <= len(z); i += n {
		row := z[i : i+n]
		for j, b := range bias {
			row[j] += b
		}
	}
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
