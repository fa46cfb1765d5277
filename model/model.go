// Package model is the file a trained net is saved in: the net, and
// everything needed to predict from raw rows (the dataset's preprocessor:
// feature columns, standardization, one-hot categories, class labels).
package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/network"
)

// Format and Version identify a model file.
const (
	Format  = "evonas-model"
	Version = 1
)

// Model is a trained net with its preprocessing.
type Model struct {
	Format  string                `json:"format"`
	Version int                   `json:"version"`
	Data    string                `json:"data"` // the data set it was trained on
	Prep    *dataset.Preprocessor `json:"preprocessor"`
	Net     *network.Net          `json:"net"`
	// Info holds free-form facts about the training (settings, metrics,
	// genome); Predict does not use it.
	Info json.RawMessage `json:"info,omitempty"`
}

// New returns a model of net and prep, checking that they fit each other.
func New(data string, prep *dataset.Preprocessor, net *network.Net, info any) (*Model, error) {
	m := &Model{Format: Format, Version: Version, Data: data, Prep: prep, Net: net}
	if info != nil {
		b, err := json.Marshal(info)
		if err != nil {
			return nil, err
		}
		m.Info = b
	}
	return m, m.check()
}

// FormatError is a model file that cannot be used.
type FormatError struct {
	File string
	Msg  string
}

func (e *FormatError) Error() string { return e.File + ": " + e.Msg }

// Load reads a model file.
func Load(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b, path)
}

// Parse decodes a model file's bytes; file names it in errors.
func Parse(b []byte, file string) (*Model, error) {
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, &FormatError{file, "not a model file: " + jsonMessage(b, err)}
	}
	if head.Format != Format {
		return nil, &FormatError{file, fmt.Sprintf("not a model file (format %q, want %q)", head.Format, Format)}
	}
	if head.Version != Version {
		return nil, &FormatError{file, fmt.Sprintf("model file version %d, this evonas reads version %d", head.Version, Version)}
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, &FormatError{file, jsonMessage(b, err)}
	}
	if err := m.check(); err != nil {
		return nil, &FormatError{file, err.Error()}
	}
	return &m, nil
}

// jsonMessage describes a JSON error with the line it happened on.
func jsonMessage(b []byte, err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		if syn.Offset >= int64(len(b)) {
			return fmt.Sprintf("truncated file (ends at line %d)", 1+bytes.Count(b, []byte("\n")))
		}
		return fmt.Sprintf("line %d: %v", 1+bytes.Count(b[:min(int(syn.Offset), len(b))], []byte("\n")), err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "truncated file"
	}
	return err.Error()
}

// check reports whether the net and the preprocessor fit together.
func (m *Model) check() error {
	if m.Prep == nil {
		return errors.New("no preprocessor")
	}
	if m.Net == nil {
		return errors.New("no net")
	}
	if err := checkPrep(m.Prep); err != nil {
		return err
	}
	spec := m.Net.Spec()
	if nf := m.Prep.NumFeatures(); spec.Inputs != nf {
		return fmt.Errorf("net takes %d inputs but the preprocessor makes %d features", spec.Inputs, nf)
	}
	switch m.Prep.Task {
	case dataset.Binary:
		if spec.Head != network.Binary || len(m.Prep.Classes) != 2 {
			return fmt.Errorf("binary task needs a binary head and 2 classes, got %v head and %d classes", spec.Head, len(m.Prep.Classes))
		}
	case dataset.Multiclass:
		if spec.Head != network.Softmax || len(m.Prep.Classes) != spec.Outputs {
			return fmt.Errorf("multiclass task with %d classes does not fit a %v head of %d outputs", len(m.Prep.Classes), spec.Head, spec.Outputs)
		}
	case dataset.Regression:
		if spec.Head != network.Regression || spec.Outputs != 1 {
			return fmt.Errorf("regression task needs a regression head with 1 output, got %v head with %d", spec.Head, spec.Outputs)
		}
		if !(m.Prep.TargetScale > 0) || math.IsInf(m.Prep.TargetScale, 0) || math.IsNaN(m.Prep.TargetMean) || math.IsInf(m.Prep.TargetMean, 0) {
			return fmt.Errorf("regression target scale %v and mean %v", m.Prep.TargetScale, m.Prep.TargetMean)
		}
	default:
		return fmt.Errorf("unknown task %q", m.Prep.Task)
	}
	return nil
}

// checkPrep reports what no preprocessor made by training holds, and what
// would make evonas and an export of the model disagree: an input without
// a name or named twice, a numeric input's scale that is not a positive
// number (training gives a constant column scale 1), a category or a class
// listed twice.
func checkPrep(p *dataset.Preprocessor) error {
	names := make(map[string]bool, len(p.Inputs))
	for i, in := range p.Inputs {
		if in.Name == "" {
			return fmt.Errorf("preprocessor input %d has no name", i+1)
		}
		if names[in.Name] {
			return fmt.Errorf("preprocessor input %q is listed twice", in.Name)
		}
		names[in.Name] = true
		if len(in.Categories) > 0 {
			if c, ok := repeated(in.Categories); ok {
				return fmt.Errorf("preprocessor input %q: category %q is listed twice", in.Name, c)
			}
			continue
		}
		if !(in.Scale > 0) || math.IsInf(in.Scale, 0) || math.IsNaN(in.Mean) || math.IsInf(in.Mean, 0) {
			return fmt.Errorf("preprocessor input %q: scale %v and mean %v (want a positive scale)", in.Name, in.Scale, in.Mean)
		}
	}
	if c, ok := repeated(p.Classes); ok {
		return fmt.Errorf("preprocessor class %q is listed twice", c)
	}
	return nil
}

// repeated returns the first string of s that appeared before it.
func repeated(s []string) (string, bool) {
	seen := make(map[string]bool, len(s))
	for _, x := range s {
		if seen[x] {
			return x, true
		}
		seen[x] = true
	}
	return "", false
}

// Save writes the model to path atomically: a temporary file in the same
// directory, synced, then renamed, so a crash never leaves half a model.
func (m *Model) Save(path string) error {
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(b, '\n'))
}

// WriteFileAtomic writes data to path through a synced temporary file and
// a rename. It refuses to replace anything but a regular file: the rename
// would put a file in place of a device such as /dev/null.
func WriteFileAtomic(path string, data []byte) error {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	tmp, err := WriteTemp(path, data)
	if err != nil {
		return err
	}
	return RenameInto(tmp, path)
}

// WriteTemp writes data to a synced temporary file beside path and
// returns its name, for RenameInto to put in path's place (WriteFileAtomic;
// export writes several files so, renaming them only once all are
// written). An error names path, and leaves no temporary file.
func WriteTemp(path string, data []byte) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return "", named(err, path)
	}
	err = f.Chmod(0o644)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", named(err, path)
	}
	return f.Name(), nil
}

// RenameInto renames tmp, from WriteTemp, to path; an error names path,
// and removes tmp.
func RenameInto(tmp, path string) error {
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return named(err, path)
	}
	return nil
}

// named is err, from the temporary file that stands for path, as path's:
// the temporary file is gone by the time anyone reads the error, and path
// is the file that was asked for. The cause (a full disk, a missing
// directory) is kept.
func named(err error, path string) error {
	var (
		pe *fs.PathError
		le *os.LinkError
	)
	switch {
	case errors.As(err, &pe):
		return &fs.PathError{Op: pe.Op, Path: path, Err: pe.Err}
	case errors.As(err, &le):
		return &fs.PathError{Op: le.Op, Path: path, Err: le.Err}
	}
	return err
}

// Prediction is the model's answer for one row.
type Prediction struct {
	// Label is the predicted class label, or the value formatted; empty
	// when the net's output is not a number (None).
	Label string
	Value float64   // regression: the predicted value; classification: the class index
	Probs []float64 // classification: each class's probability, in Prep.Classes order
	// None says the net gave no answer: its output is not a number, as
	// inputs far outside the training rows' make it (values near 1e308
	// overflow the products). Value is NaN, Label empty.
	None bool
}

// Predict answers for every row of t, whose columns are matched to the
// model's inputs by name.
func (m *Model) Predict(t *dataset.Table) ([]Prediction, error) {
	x, rows, err := m.Prep.Transform(t)
	if err != nil {
		return nil, err
	}
	out := m.Net.Predict(x, rows, nil)
	k := m.Net.Spec().Outputs
	preds := make([]Prediction, rows)
	for i := range preds {
		o := out[i*k : (i+1)*k]
		if slices.ContainsFunc(o, math.IsNaN) {
			// Not class 0 nor a value of NaN: no answer.
			preds[i] = Prediction{Value: math.NaN(), None: true}
			if m.Prep.Task != dataset.Regression {
				preds[i].Probs = make([]float64, len(m.Prep.Classes))
				for j := range preds[i].Probs {
					preds[i].Probs[j] = math.NaN()
				}
			}
			continue
		}
		switch m.Prep.Task {
		case dataset.Regression:
			v := m.Prep.TargetValue(o[0])
			preds[i] = Prediction{Value: v, Label: fmt.Sprint(v)}
		case dataset.Binary:
			p := []float64{1 - o[0], o[0]}
			c := 0
			if o[0] > 0.5 {
				c = 1
			}
			preds[i] = Prediction{Value: float64(c), Label: m.Prep.Classes[c], Probs: p}
		default:
			c := 0
			for j, p := range o {
				if p > o[c] {
					c = j
				}
			}
			preds[i] = Prediction{Value: float64(c), Label: m.Prep.Classes[c], Probs: append([]float64(nil), o...)}
		}
	}
	return preds, nil
}
