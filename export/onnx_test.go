package export

import (
	"testing"

	"github.com/advancedclimatesystems/gonnx"
	"gorgonia.org/tensor"

	"github.com/evonas/evonas/dataset"
)

// TestONNXGonnx runs every exported model in gonnx, a pure-Go ONNX runtime,
// on held-out rows (an unseen category among them) and compares with
// evonas's own predictions.
func TestONNXGonnx(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			b, err := ONNX(f.model, "test")
			if err != nil {
				t.Fatal(err)
			}
			rt, err := gonnx.NewModelFromBytes(b)
			if err != nil {
				t.Fatal(err)
			}
			layout := NewLayout(f.model)
			x, n, err := layout.Encode(f.heldOut)
			if err != nil {
				t.Fatal(err)
			}
			in := tensor.New(tensor.WithShape(n, layout.Features), tensor.WithBacking(x))
			outs, err := rt.Run(gonnx.Tensors{InputName: in})
			if err != nil {
				t.Fatal(err)
			}
			out, ok := outs[layout.Output]
			if !ok {
				t.Fatalf("no output %q in %v", layout.Output, rt.OutputNames())
			}
			want, cols := f.want(t)
			if s := out.Shape(); len(s) != 2 || s[0] != n || s[1] != cols {
				t.Fatalf("output shape %v, want [%d %d]", s, n, cols)
			}
			data, ok := out.Data().([]float32)
			if !ok {
				t.Fatalf("output of type %T, want []float32", out.Data())
			}
			got := make([]float64, len(data))
			for i, v := range data {
				got[i] = float64(v)
			}
			f.compare(t, got, want)
		})
	}
}

// TestLayout checks the layout's offsets against the preprocessor's feature
// order, and Encode against Transform: standardizing Encode's raw values
// gives Transform's features.
func TestLayout(t *testing.T) {
	f := fixtures(t)[0]
	l := NewLayout(f.model)
	if l.Features != f.model.Prep.NumFeatures() || len(l.Columns) != len(f.model.Prep.Inputs) {
		t.Fatalf("layout of %d features in %d columns, want %d in %d", l.Features, len(l.Columns), f.model.Prep.NumFeatures(), len(f.model.Prep.Inputs))
	}
	x, n, err := l.Encode(f.heldOut)
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := f.model.Prep.Transform(f.heldOut)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		for _, c := range l.Columns {
			if c.Kind == "numeric" {
				j := i*l.Features + c.Offset
				if got := (float64(x[j]) - *c.Mean) / *c.Scale; abs(got-want[j]) > 1e-5 {
					t.Fatalf("row %d column %s: standardized %g, want %g", i, c.Name, got, want[j])
				}
				continue
			}
			for k := range c.Categories {
				j := i*l.Features + c.Offset + k
				if float64(x[j]) != want[j] {
					t.Fatalf("row %d column %s=%s: %g, want %g", i, c.Name, c.Categories[k], x[j], want[j])
				}
			}
		}
	}
	if l.Task != string(dataset.Binary) || len(l.Classes) != 2 || l.Output != ProbName {
		t.Errorf("layout task %s, classes %v, output %s", l.Task, l.Classes, l.Output)
	}
}
