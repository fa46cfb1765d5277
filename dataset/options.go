package dataset

import (
	"fmt"
	"strconv"
	"strings"
)

// OptionError is a bad value of one of the Options: Name is the field in
// lower case ("task", "missing", "split", "rows", "noise"), Err what is
// wrong with its value. A command maps Name to its flag.
type OptionError struct {
	Name string
	Err  error
}

func (e *OptionError) Error() string  { return "dataset: " + e.Name + ": " + e.Err.Error() }
func (e *OptionError) Unwrap() error  { return e.Err }
func (e *OptionError) Option() string { return e.Name }

func optionf(name, format string, args ...any) error {
	return &OptionError{name, fmt.Errorf(format, args...)}
}

// Validate reports whether the options' task, missing-value policy, rows
// and noise are ones Load knows. (Load checks the split, and the target
// once it has read the data.)
func (o Options) Validate() error {
	switch o.Task {
	case "", Binary, Multiclass, Regression:
	default:
		return optionf("task", "unknown task %q (want binary, multiclass or regression)", o.Task)
	}
	switch o.Missing {
	case "", MissingError, MissingDrop, MissingMean:
	default:
		return optionf("missing", "unknown policy %q (want error, drop or mean)", o.Missing)
	}
	if o.Rows < 0 {
		return optionf("rows", "%d is negative", o.Rows)
	}
	if o.Noise < 0 {
		return optionf("noise", "%g is negative", o.Noise)
	}
	return nil
}

// ParseFractions reads a split written "train,validation,test", such as
// 0.7,0.15,0.15.
func ParseFractions(s string) (Fractions, error) {
	bad := optionf("split", "want three fractions like 0.7,0.15,0.15, got %q", s)
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return Fractions{}, bad
	}
	var f [3]float64
	for i, part := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil {
			return Fractions{}, bad
		}
		f[i] = v
	}
	return Fractions{Train: f[0], Val: f[1], Test: f[2]}, nil
}
