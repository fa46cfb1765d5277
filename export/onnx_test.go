package export

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advancedclimatesystems/gonnx"
	"github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"
	"gorgonia.org/tensor"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
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

// TestEncodeRefuses: Encode refuses what would silently give another answer
// than evonas predict: a value float32 cannot hold (it would enter the graph
// as ±Inf and answer NaN, where predict, in float64, answers), and a text
// column read as numbers whose categories are numbers written otherwise
// ("0012" read as 12 matches no category, where predict reads the text).
// Read with the layout's TextColumns, the same rows encode as predict
// reads them.
func TestEncodeRefuses(t *testing.T) {
	tab, err := dataset.ParseCSV(strings.NewReader("a,code,y\n"+strings.Repeat("0.1,0012,p\n0.9,4,q\n0.4,x,r\n0.3,y,p\n", 10)), "train.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Prepare(tab, dataset.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	net, err := network.New(network.Spec{Inputs: d.Prep.NumFeatures(), Hidden: []network.Layer{{Units: 4, Activation: network.ReLU}}, Outputs: 3, Head: network.Softmax}, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New("train", d.Prep, net, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := NewLayout(m)
	if got := l.TextColumns(); len(got) != 1 || got[0] != "code" {
		t.Fatalf("TextColumns %v, want [code]", got)
	}
	dir := t.TempDir()
	tests := []struct {
		name, rows string
		err        string // "" when Encode takes the rows
	}{
		{"beyond float32", "a,code\n0.1,x\n1e39,x\n", `new.csv: line 3: column "a": value 1e+39 beyond float32's range`},
		{"beyond float32 negative", "a,code\n-3.5e38,x\n", `line 2: column "a": value -3.5e+38 beyond float32's range`},
		{"largest float32", "a,code\n3.4e38,x\n", ""},
		{"categories read as numbers", "a,code\n0.1,0012\n0.2,4\n", `new.csv: line 2: column "code": read as numbers, 12 matches no category, but "0012" is one`},
		{"numbers that match", "a,code\n0.1,4\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "new.csv")
			if err := os.WriteFile(path, []byte(tc.rows), 0o644); err != nil {
				t.Fatal(err)
			}
			in, err := dataset.ReadCSV(path)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = l.Encode(in)
			if tc.err == "" {
				if err != nil {
					t.Fatalf("Encode: %v", err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Encode error %v, want one containing %q", err, tc.err)
			}
			if tc.name != "categories read as numbers" {
				return
			}
			in, err = dataset.LoadTable(path, dataset.Options{Text: l.TextColumns()})
			if err != nil {
				t.Fatal(err)
			}
			x, n, err := l.Encode(in)
			if err != nil {
				t.Fatal(err)
			}
			if off := l.Columns[1].Offset; n != 2 || x[off] != 1 || x[l.Features+off+1] != 1 {
				t.Errorf("encoded %v, want 0012 and 4 one-hot at %d and %d", x, off, off+1)
			}
		})
	}
}

// TestONNXProto reads the protobuf back with gonnx's types generated from
// onnx.proto: versions, the symbolic batch dimension, the tensors' names
// and shapes, the layout in the metadata, and every initializer used.
func TestONNXProto(t *testing.T) {
	for _, f := range fixtures(t) {
		if !strings.HasSuffix(f.name, "/mixed") {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			b, err := ONNX(f.model, "v1.2.3")
			if err != nil {
				t.Fatal(err)
			}
			var mp onnx.ModelProto
			if err := proto.Unmarshal(b, &mp); err != nil {
				t.Fatal(err)
			}
			l := NewLayout(f.model)
			if mp.IrVersion != 7 || len(mp.OpsetImport) != 1 || mp.OpsetImport[0].Domain != "" || mp.OpsetImport[0].Version != 13 {
				t.Errorf("IR %d, opsets %v; want IR 7, opset 13 of the default domain", mp.IrVersion, mp.OpsetImport)
			}
			if mp.ProducerName != "evonas" || mp.ProducerVersion != "v1.2.3" {
				t.Errorf("producer %q %q", mp.ProducerName, mp.ProducerVersion)
			}
			if len(mp.MetadataProps) != 1 || mp.MetadataProps[0].Key != "evonas.layout" || mp.MetadataProps[0].Value != string(l.JSON()) {
				t.Errorf("metadata %v, want the layout under evonas.layout", mp.MetadataProps)
			}
			g := mp.Graph
			shape := func(v *onnx.ValueInfoProto) string {
				tt := v.Type.GetTensorType()
				s := fmt.Sprintf("%s:%d", v.Name, tt.GetElemType())
				for _, d := range tt.GetShape().GetDim() {
					s += fmt.Sprintf(" %s%d", d.GetDimParam(), d.GetDimValue())
				}
				return s
			}
			cols := 1
			if k := len(f.model.Prep.Classes); k > 0 {
				cols = k
			}
			if len(g.Input) != 1 || shape(g.Input[0]) != fmt.Sprintf("input:1 N0 %d", l.Features) {
				t.Errorf("inputs %v, want one float [N, %d] called input", g.Input, l.Features)
			}
			if len(g.Output) != 1 || shape(g.Output[0]) != fmt.Sprintf("%s:1 N0 %d", l.Output, cols) {
				t.Errorf("outputs %v, want one float [N, %d] called %s", g.Output, cols, l.Output)
			}
			used, gemms := map[string]bool{}, 0
			for _, n := range g.Node {
				for _, in := range n.Input {
					used[in] = true
				}
				if n.OpType == "Gemm" {
					gemms++
				}
				if n.OpType == "Gemm" && (len(n.Attribute) != 1 || n.Attribute[0].Name != "transB" || n.Attribute[0].I != 1 || n.Attribute[0].Type != onnx.AttributeProto_INT) {
					t.Errorf("Gemm %s attributes %v, want transB=1", n.Name, n.Attribute)
				}
				if n.OpType == "Dropout" {
					t.Errorf("node %s: dropout in an inference graph", n.Name)
				}
			}
			for _, init := range g.Initializer {
				if !used[init.Name] {
					t.Errorf("initializer %s is used by no node", init.Name)
				}
			}
			if gemms != len(f.model.Net.Spec().Hidden)+1 {
				t.Errorf("%d Gemm nodes, want one per layer (%d)", gemms, len(f.model.Net.Spec().Hidden)+1)
			}
		})
	}
}

// TestONNXOutOfFloat32 checks that a model whose preprocessing float32
// cannot hold (an input's mean or scale beyond 3.4e38 or scale below
// 2^-103, a regression target's likewise) is refused by ONNX, naming the
// column, instead of exported as a graph that answers NaN for every row
// (a scale that rounds to 0, or a subnormal one in a runtime that flushes
// subnormals to zero, as OpenCV's does) or loses the standardized value's
// digits there; the float64 PyTorch export still takes it.
func TestONNXOutOfFloat32(t *testing.T) {
	tests := []struct {
		name string
		a    func(i int) float64 // the input a of row i
		y    func(i int) string  // the target of row i
		task dataset.Task
		err  string
	}{
		{"large input", func(i int) float64 { return float64(i%7+1) * 1e150 }, func(i int) string { return []string{"p", "q"}[i%2] }, dataset.Binary,
			`column "a": mean and scale`},
		{"tiny input scale", func(i int) float64 { return float64(i%7) * 1e-50 }, func(i int) string { return []string{"p", "q"}[i%2] }, dataset.Binary,
			`column "a": mean and scale`},
		{"subnormal input scale", func(i int) float64 { return float64(i%7) * 1e-41 }, func(i int) string { return []string{"p", "q"}[i%2] }, dataset.Binary,
			`column "a": mean and scale`},
		{"input scale flushed", func(i int) float64 { return float64(i%7) * 1e-35 }, func(i int) string { return []string{"p", "q"}[i%2] }, dataset.Binary,
			`column "a": mean and scale`},
		{"tiny target scale", func(i int) float64 { return float64(i % 7) }, func(i int) string { return fmt.Sprint(float64(i%5+1) * 1e-40) }, dataset.Regression,
			`target "y": mean and scale`},
		{"small fits", func(i int) float64 { return float64(i%7) * 1e-30 }, func(i int) string { return fmt.Sprint(float64(i%5+1) * 1e-30) }, dataset.Regression, ""},
		{"large target", func(i int) float64 { return float64(i % 7) }, func(i int) string { return fmt.Sprint(float64(i%5+1) * 1e140) }, dataset.Regression,
			`target "y": mean and scale`},
		{"fits", func(i int) float64 { return float64(i%7+1) * 1e30 }, func(i int) string { return fmt.Sprint(float64(i%5+1) * 1e30) }, dataset.Regression, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var sb strings.Builder
			sb.WriteString("a,y\n")
			for i := range 70 {
				fmt.Fprintf(&sb, "%v,%s\n", tc.a(i), tc.y(i))
			}
			tab, err := dataset.ParseCSV(strings.NewReader(sb.String()), "t.csv")
			if err != nil {
				t.Fatal(err)
			}
			d, err := dataset.Prepare(tab, dataset.Options{Seed: 1, Task: tc.task, Split: dataset.Fractions{Train: 1}})
			if err != nil {
				t.Fatal(err)
			}
			head, outputs := network.Regression, 1
			if d.Task == dataset.Binary {
				head = network.Binary
			}
			net, err := network.New(network.Spec{Inputs: len(d.Features), Hidden: []network.Layer{{Units: 3, Activation: network.Tanh}}, Outputs: outputs, Head: head}, 1)
			if err != nil {
				t.Fatal(err)
			}
			m, err := model.New(d.Name, d.Prep, net, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ONNX(m, "test")
			if tc.err == "" {
				if err != nil {
					t.Fatalf("ONNX: %v", err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("ONNX error %v, want one containing %q", err, tc.err)
			}
			if _, err := PyTorch(m, "test", "m"); err != nil {
				t.Errorf("PyTorch: %v", err)
			}
		})
	}
}
