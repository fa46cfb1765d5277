package export_test

import (
	"fmt"
	"math"

	"github.com/advancedclimatesystems/gonnx"
	"gorgonia.org/tensor"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/export"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
)

// An iris model exported to ONNX and run in gonnx, a pure-Go runtime, on
// the raw table laid out by the model's Layout.
func ExampleONNX() {
	d, _ := dataset.Load("iris", dataset.Options{Seed: 1})
	net, _ := network.New(network.Spec{Inputs: 4, Hidden: []network.Layer{{Units: 8, Activation: network.ELU}}, Outputs: 3, Head: network.Softmax}, 1)
	m, _ := model.New(d.Name, d.Prep, net, nil)

	b, _ := export.ONNX(m, "example")
	rt, _ := gonnx.NewModelFromBytes(b)
	layout := export.NewLayout(m)
	t, _ := dataset.LoadTable("iris", dataset.Options{})
	x, n, _ := layout.Encode(t)
	out, _ := rt.Run(gonnx.Tensors{layout.Input: tensor.New(tensor.WithShape(n, layout.Features), tensor.WithBacking(x))})
	probs := out[layout.Output].Data().([]float32)

	want, _ := m.Predict(t)
	worst := 0.0
	for i, p := range want {
		for j, v := range p.Probs {
			worst = math.Max(worst, math.Abs(float64(probs[i*3+j])-v))
		}
	}
	fmt.Println(layout.Input, layout.Features, "->", layout.Output, out[layout.Output].Shape(), layout.Classes)
	fmt.Println("within 1e-6 of evonas:", worst < 1e-6)
	// Output:
	// input 4 -> probabilities (150, 3) [setosa versicolor virginica]
	// within 1e-6 of evonas: true
}
