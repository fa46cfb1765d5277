// Package export writes a trained evonas model in formats other runtimes
// read: ONNX (a standard graph for onnxruntime, OpenCV dnn and the like,
// with the input layout beside it as JSON) and PyTorch (a self-contained
// Python file).
//
// The ONNX graph takes one float tensor "input" of shape [N, F] and does
// everything else evonas does to a row: standardization, the dense layers,
// the head and, for regression, the target's units. What a float tensor
// cannot carry is the text of a categorical column, so such a column enters
// as its one-hot indicators, in the order the Layout lists them.
package export

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
)

// Names of the ONNX graph's input and outputs.
const (
	InputName = "input"
	ProbName  = "probabilities" // classification: [N, classes]
	ValueName = "value"         // regression: [N, 1]
)

// LayoutFormat identifies a layout file.
const LayoutFormat = "evonas-onnx-layout"

// Layout describes an exported ONNX model's input and output: which raw
// column fills which feature of the input tensor, and what the output's
// columns mean. It is written beside the model as JSON and into the model's
// metadata under the key "evonas.layout".
type Layout struct {
	Format   string   `json:"format"`
	Version  int      `json:"version"`
	Input    string   `json:"input"`    // name of the input tensor
	Features int      `json:"features"` // F, the input tensor's second dimension
	Columns  []Column `json:"columns"`  // raw columns in feature order
	Output   string   `json:"output"`   // name of the output tensor
	Task     string   `json:"task"`     // binary, multiclass or regression
	Target   string   `json:"target"`   // the target column the model predicts
	// Classes names the output's columns for classification, in order.
	Classes []string `json:"classes,omitempty"`
}

// Column is one raw column and the features it fills.
type Column struct {
	Name string `json:"name"`
	// Kind is "numeric" (one feature: the raw value; the graph standardizes
	// it) or "categorical" (one 0/1 feature per category, in the order of
	// Categories; a value seen in no training row is all zeros).
	Kind       string   `json:"kind"`
	Offset     int      `json:"offset"` // index of the column's first feature
	Categories []string `json:"categories,omitempty"`
	// Mean and Scale (numeric columns) are the standardization the graph
	// applies, (v-Mean)/Scale.
	Mean  *float64 `json:"mean,omitempty"`
	Scale *float64 `json:"scale,omitempty"`
}

// NewLayout describes the ONNX input and output of m.
func NewLayout(m *model.Model) *Layout {
	p := m.Prep
	l := &Layout{
		Format:   LayoutFormat,
		Version:  1,
		Input:    InputName,
		Features: p.NumFeatures(),
		Output:   ProbName,
		Task:     string(p.Task),
		Target:   p.Target,
		Classes:  append([]string(nil), p.Classes...),
	}
	if p.Task == dataset.Regression {
		l.Output = ValueName
	}
	off := 0
	for _, in := range p.Inputs {
		c := Column{Name: in.Name, Offset: off}
		if len(in.Categories) > 0 {
			c.Kind = "categorical"
			c.Categories = append([]string(nil), in.Categories...)
			off += len(in.Categories)
		} else {
			c.Kind = "numeric"
			mean, scale := in.Mean, in.Scale
			c.Mean, c.Scale = &mean, &scale
			off++
		}
		l.Columns = append(l.Columns, c)
	}
	return l
}

// JSON returns the layout as indented JSON with a final newline.
func (l *Layout) JSON() []byte {
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("export: layout: %v", err)) // plain data always encodes
	}
	return append(b, '\n')
}

// TextColumns names the categorical columns: the Text of the
// dataset.Options to read new rows with (dataset.LoadTable), so that a
// category written as a number ("0012", "4.0") keeps its text.
func (l *Layout) TextColumns() []string {
	var names []string
	for _, c := range l.Columns {
		if c.Kind == "categorical" {
			names = append(names, c.Name)
		}
	}
	return names
}

// Encode returns the rows of t laid out as the ONNX model's input tensor
// (row-major, rows x Features), and the number of rows. Columns are found by
// name; a numeric column's raw values go in as they are (the graph
// standardizes them) and a categorical column's text becomes its one-hot
// indicators. A missing input column or value, text in a numeric column, a
// value beyond float32's range, or a categorical column read as numbers
// that cannot match a category written otherwise (12 for "0012": read t
// with TextColumns as text), is an error naming the row's line.
func (l *Layout) Encode(t *dataset.Table) ([]float32, int, error) {
	n := t.Rows()
	x := make([]float32, n*l.Features)
	for _, c := range l.Columns {
		var col *dataset.Column
		for i := range t.Columns {
			if t.Columns[i].Name == c.Name {
				col = &t.Columns[i]
				break
			}
		}
		if col == nil {
			return nil, 0, fmt.Errorf("%s: input column %q not found", t.Source, c.Name)
		}
		index := make(map[string]int, len(c.Categories))
		for j, cat := range c.Categories {
			index[cat] = j
		}
		for i := range n {
			var text string
			var num float64
			switch {
			case col.Str != nil:
				text = col.Str[i]
				if text == "" {
					return nil, 0, fmt.Errorf("%s: %s column %q: missing value", t.Source, lineOf(t, i), c.Name)
				}
				if c.Kind == "numeric" {
					v, err := strconv.ParseFloat(text, 64)
					if err != nil {
						return nil, 0, fmt.Errorf("%s: %s column %q: non-numeric value %q", t.Source, lineOf(t, i), c.Name, text)
					}
					num = v
				}
			default:
				num = col.Num[i]
				if math.IsNaN(num) {
					return nil, 0, fmt.Errorf("%s: %s column %q: missing value", t.Source, lineOf(t, i), c.Name)
				}
				text = strconv.FormatFloat(num, 'g', -1, 64)
			}
			row := x[i*l.Features : (i+1)*l.Features]
			if c.Kind == "numeric" {
				if math.Abs(num) > math.MaxFloat32 {
					// float32(num) is ±Inf, and the graph's answer NaN.
					return nil, 0, fmt.Errorf("%s: %s column %q: value %g beyond float32's range (3.4e38), in which the ONNX input is held (evonas predict and the PyTorch export compute in float64)", t.Source, lineOf(t, i), c.Name, num)
				}
				row[c.Offset] = float32(num)
			} else if j, ok := index[text]; ok {
				row[c.Offset+j] = 1
			} else if col.Str == nil {
				// A number never matches a category written otherwise
				// ("0012", "4.0"), which the text would have.
				for _, cat := range c.Categories {
					if v, err := strconv.ParseFloat(cat, 64); err == nil && v == num {
						return nil, 0, fmt.Errorf("%s: %s column %q: read as numbers, %s matches no category, but %q is one: read the rows with the layout's text columns (dataset.LoadTable with Options.Text = Layout.TextColumns())", t.Source, lineOf(t, i), c.Name, text, cat)
					}
				}
			}
		}
	}
	return x, n, nil
}

func lineOf(t *dataset.Table, i int) string {
	if i < len(t.Lines) {
		return fmt.Sprintf("line %d:", t.Lines[i])
	}
	return fmt.Sprintf("row %d:", i+1)
}
