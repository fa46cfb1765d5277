package network

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// OptionError is a bad value of one setting of a training or of a net's
// hidden layers: Name is the setting (the field of TrainConfig in lower
// case, but "lr_schedule" for Schedule as genomes and configs call it, or
// "hidden", "activation" and "dropout" for ParseLayers), Err what is wrong
// with its value. A command maps Name to its flag.
type OptionError struct {
	Name string
	Err  error
}

func (e *OptionError) Error() string  { return "network: " + e.Name + ": " + e.Err.Error() }
func (e *OptionError) Unwrap() error  { return e.Err }
func (e *OptionError) Option() string { return e.Name }

func optionf(name, format string, args ...any) error {
	return &OptionError{name, fmt.Errorf(format, args...)}
}

// Validate reports whether c is a valid training as it stands, before the
// defaults Train fills in (CheckConfig applies them first): a zero
// learning rate or an empty optimizer is an error here.
func (c TrainConfig) Validate() error {
	switch {
	case c.Epochs < 1:
		return optionf("epochs", "want at least 1, got %d", c.Epochs)
	case c.Batch < 1:
		return optionf("batch", "want at least 1, got %d", c.Batch)
	case c.Optimizer != Adam && c.Optimizer != SGD:
		return optionf("optimizer", "unknown optimizer %q (want adam or sgd)", c.Optimizer)
	case !(c.LR > 0) || math.IsInf(c.LR, 1):
		return optionf("lr", "want a positive, finite learning rate, got %g", c.LR)
	case !(c.L2 >= 0) || math.IsInf(c.L2, 1):
		return optionf("l2", "want a non-negative, finite weight decay, got %g", c.L2)
	case !(c.Momentum >= 0 && c.Momentum < 1):
		return optionf("momentum", "want a value in [0, 1), got %g", c.Momentum)
	case c.Patience < 0:
		return optionf("patience", "want at least 0, got %d", c.Patience)
	case c.MaxMemory < 0:
		return optionf("max_memory", "want at least 0, got %d", c.MaxMemory)
	case c.Precision != "" && c.Precision != Float64 && c.Precision != Float32:
		return optionf("precision", "unknown precision %q (want float32 or float64)", c.Precision)
	}
	return c.Schedule.validate()
}

// ParseLayers reads hidden layers from comma-separated lists, as a command
// line gives them: the widths ("64,32"; empty for none), the activations
// and the dropouts, each either one value for every layer or one per layer.
func ParseLayers(widths, activations, dropouts string) ([]Layer, error) {
	var ws []int
	for _, f := range strings.Split(widths, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		w, err := strconv.Atoi(f)
		if err != nil {
			return nil, optionf("hidden", "%q is not an integer", f)
		}
		ws = append(ws, w)
	}
	acts := strings.Split(activations, ",")
	if len(acts) != 1 && len(acts) != len(ws) {
		return nil, optionf("activation", "%d activations for %d hidden layers", len(acts), len(ws))
	}
	var drops []float64
	for _, f := range strings.Split(dropouts, ",") {
		f = strings.TrimSpace(f)
		d, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, optionf("dropout", "%q is not a number", f)
		}
		drops = append(drops, d)
	}
	if len(drops) != 1 && len(drops) != len(ws) {
		return nil, optionf("dropout", "%d values for %d hidden layers", len(drops), len(ws))
	}
	layers := make([]Layer, len(ws))
	for i, w := range ws {
		if w < 1 {
			return nil, optionf("hidden", "layer %d has %d units", i+1, w)
		}
		a, err := ParseActivation(strings.TrimSpace(acts[min(i, len(acts)-1)]))
		if err != nil {
			return nil, &OptionError{"activation", err}
		}
		d := drops[min(i, len(drops)-1)]
		if !(d >= 0 && d < 1) {
			return nil, optionf("dropout", "%g outside [0, 1)", d)
		}
		layers[i] = Layer{Units: w, Activation: a, Dropout: d}
	}
	return layers, nil
}
