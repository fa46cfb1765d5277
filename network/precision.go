package network

import "fmt"

// Precision is the floating-point type a training step computes in.
type Precision string

// The precisions. A net's weights are float64 either way: a float32
// training works on a float32 copy and writes it back after every epoch,
// so saving, loading, Predict and Evaluate see the same float64 net.
const (
	// Float64 computes every product, activation and update in float64.
	Float64 Precision = "float64"
	// Float32 computes them in float32, as PyTorch does by default: twice
	// the numbers per vector instruction and half the memory traffic.
	// Losses and metrics are still summed in float64.
	Float32 Precision = "float32"
)

// ParsePrecision returns the precision with the given name.
func ParsePrecision(s string) (Precision, error) {
	switch p := Precision(s); p {
	case Float64, Float32:
		return p, nil
	}
	return "", fmt.Errorf("unknown precision %q (want float32 or float64)", s)
}
