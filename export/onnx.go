package export

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
)

// The ONNX versions written: opset 13 and the IR version that goes with it
// (onnx.helper.VERSION_TABLE: ONNX 1.8, IR 7, opset 13).
const (
	Opset     = 13
	IRVersion = 7
)

// ONNX returns m as an ONNX model (opset 13, float32 weights). Its graph
// standardizes the input, runs the dense layers without dropout and ends in
// the head: softmax probabilities for multiclass, [1-p, p] for binary, the
// value in the target's units for regression. producer is written as the
// model's producer version. A model whose standardization float32 cannot
// hold (a mean or scale beyond 3.4e38, a scale below 2^-103, about 1e-31)
// is an error: its graph would answer NaN for every row, or lose the
// standardized values' digits.
func ONNX(m *model.Model, producer string) ([]byte, error) {
	g := &graph{}
	spec := m.Net.Spec()
	layout := NewLayout(m)
	f := int64(layout.Features)

	mean := make([]float64, 0, f)
	scale := make([]float64, 0, f)
	for _, in := range m.Prep.Inputs {
		if len(in.Categories) > 0 {
			for range in.Categories {
				mean, scale = append(mean, 0), append(scale, 1)
			}
			continue
		}
		if err := fitsFloat32(fmt.Sprintf("column %q", in.Name), in.Mean, in.Scale); err != nil {
			return nil, err
		}
		mean, scale = append(mean, in.Mean), append(scale, in.Scale)
	}
	if m.Prep.Task == dataset.Regression {
		if err := fitsFloat32(fmt.Sprintf("target %q", m.Prep.Target), m.Prep.TargetMean, m.Prep.TargetScale); err != nil {
			return nil, err
		}
	}
	x := g.node("Sub", "centered", InputName, g.constant("feature_mean", []int64{f}, mean))
	x = g.node("Div", "standardized", x, g.constant("feature_scale", []int64{f}, scale))

	w := m.Net.Weights()
	in, off := int(f), 0
	dense := func(name string, out int) string {
		// evonas stores a layer as in x out weights, row-major, then the
		// biases; Gemm with transB=1 takes them as out x in, as PyTorch's
		// nn.Linear does.
		wt := make([]float64, out*in)
		for i := range in {
			for j := range out {
				wt[j*in+i] = w[off+i*out+j]
			}
		}
		bias := w[off+in*out : off+in*out+out]
		off += (in + 1) * out
		y := g.node("Gemm", name, x,
			g.constant(name+".weight", []int64{int64(out), int64(in)}, wt),
			g.constant(name+".bias", []int64{int64(out)}, bias))
		g.attr("transB", 1)
		in = out
		return y
	}
	for i, l := range spec.Hidden {
		name := fmt.Sprintf("dense%d", i+1)
		x = dense(name, l.Units)
		x = g.activation(l.Activation, name, x)
	}
	x = dense("output", spec.Outputs)

	k := int64(spec.Outputs)
	outName := ProbName
	switch m.Prep.Task {
	case dataset.Multiclass:
		g.node("Softmax", ProbName, x)
		g.attr("axis", 1)
	case dataset.Binary:
		// p = sigmoid(z) and 1-p = sigmoid(-z): the complement keeps its
		// precision where p is close to 1.
		p1 := g.node("Sigmoid", "p1", x)
		p0 := g.node("Sigmoid", "p0", g.node("Mul", "negated", x, g.constant("minus_one", []int64{1}, []float64{-1})))
		g.node("Concat", ProbName, p0, p1)
		g.attr("axis", 1)
		k = 2
	case dataset.Regression:
		// evonas trains on the standardized target: y*scale + mean.
		y := g.node("Mul", "scaled", x, g.constant("target_scale", []int64{1}, []float64{m.Prep.TargetScale}))
		g.node("Add", ValueName, y, g.constant("target_mean", []int64{1}, []float64{m.Prep.TargetMean}))
		outName = ValueName
	default:
		return nil, fmt.Errorf("export: unknown task %q", m.Prep.Task)
	}

	var gp message
	for _, n := range g.nodes {
		gp = gp.sub(graphNode, n.encode())
	}
	gp = gp.str(graphName, "evonas")
	for _, t := range g.inits {
		gp = gp.sub(graphInitializer, t)
	}
	gp = gp.sub(graphInput, tensorInfo(InputName, f))
	gp = gp.sub(graphOutput, tensorInfo(outName, k))

	var mp message
	mp = mp.varint(modelIRVersion, IRVersion)
	mp = mp.str(modelProducerName, "evonas")
	mp = mp.str(modelProducerVersion, producer)
	mp = mp.str(modelDocString, fmt.Sprintf("evonas model of %s predicting %q (%s); input layout in metadata evonas.layout", m.Data, m.Prep.Target, m.Prep.Task))
	mp = mp.sub(modelGraph, gp)
	mp = mp.sub(modelOpsetImport, message(nil).str(opsetDomain, "").varint(opsetVersion, Opset))
	mp = mp.sub(modelMetadataProps, message(nil).str(entryKey, "evonas.layout").str(entryValue, string(layout.JSON())))
	return mp, nil
}

// minScale is the smallest scale an ONNX graph's standardization takes,
// 2^-103: float32's smallest normal number (2^-126) over its epsilon
// (2^-23). Runtimes may flush subnormal numbers to zero (OpenCV's dnn does):
// a subnormal scale then divides to NaN for every row, and the difference
// of a value and the mean, flushed below 2^-126, loses up to 2^-126/scale
// of the standardized value, no more than float32's own rounding from
// 2^-103 on.
const minScale = 0x1p-103

// fitsFloat32 returns an error naming what when float32, the graph's
// arithmetic, cannot hold its mean and scale.
func fitsFloat32(what string, mean, scale float64) error {
	if math.Abs(mean) <= math.MaxFloat32 && scale <= math.MaxFloat32 && scale >= minScale {
		return nil
	}
	return fmt.Errorf("export: %s: mean and scale (%g, %g) outside float32's range, in which an ONNX graph computes (scale from 1e-31 to 3.4e38): export as PyTorch (--out FILE.py), which computes in float64", what, mean, scale)
}

// graph collects nodes and initializers; every node's output is named
// after the node.
type graph struct {
	nodes []*node
	inits []message
}

type node struct {
	op, name string
	inputs   []string
	attrs    []message
}

func (n *node) encode() message {
	var m message
	for _, in := range n.inputs {
		m = m.str(nodeInput, in)
	}
	m = m.str(nodeOutput, n.name)
	m = m.str(nodeName, n.name)
	m = m.str(nodeOpType, n.op)
	for _, a := range n.attrs {
		m = m.sub(nodeAttribute, a)
	}
	return m
}

func (g *graph) node(op, name string, inputs ...string) string {
	g.nodes = append(g.nodes, &node{op: op, name: name, inputs: inputs})
	return name
}

// attr gives the last node an integer attribute.
func (g *graph) attr(name string, v int64) {
	n := g.nodes[len(g.nodes)-1]
	n.attrs = append(n.attrs, message(nil).str(attrName, name).varint(attrI, v).varint(attrType, attrINT))
}

// constant adds a float32 initializer and returns its name.
func (g *graph) constant(name string, dims []int64, v []float64) string {
	raw := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(float32(x)))
	}
	var t message
	for _, d := range dims {
		t = t.varint(tensorDims, d)
	}
	t = t.varint(tensorDataType, tensorFLOAT)
	t = t.str(tensorName, name)
	t = t.bytes(tensorRawData, raw)
	g.inits = append(g.inits, t)
	return name
}

// activation adds the operators of a hidden layer's activation after x. Every
// one is built from operators of the ONNX standard that every runtime,
// OpenCV's importer and the pure-Go gonnx included, implements.
func (g *graph) activation(a network.Activation, layer, x string) string {
	name := layer + "." + a.String()
	switch a {
	case network.ReLU:
		return g.node("Relu", name, x)
	case network.LeakyReLU:
		// LeakyRelu(0.01) as PRelu with one shared slope: the same
		// function, and an operator gonnx implements.
		return g.node("PRelu", name, x, g.constant(name+".slope", []int64{1}, []float64{0.01}))
	case network.ELU:
		// elu(x) = relu(x) + expm1(min(x, 0)), with
		// expm1(m) = 2t/(1-t), t = tanh(m/2): exact algebra, accurate near
		// zero as expm1 is, and built from operators gonnx implements
		// (it has no Elu or Exp).
		r := g.node("Relu", name+".pos", x)
		m := g.node("Sub", name+".neg", x, r)
		t := g.node("Tanh", name+".t", g.node("Mul", name+".half", m, g.constant(name+".c_half", []int64{1}, []float64{0.5})))
		num := g.node("Mul", name+".num", t, g.constant(name+".c_two", []int64{1}, []float64{2}))
		den := g.node("Add", name+".den", g.node("Mul", name+".mt", t, g.constant(name+".c_minus_one", []int64{1}, []float64{-1})), g.constant(name+".c_one", []int64{1}, []float64{1}))
		return g.node("Add", name, r, g.node("Div", name+".expm1", num, den))
	case network.Tanh:
		return g.node("Tanh", name, x)
	case network.Sigmoid:
		return g.node("Sigmoid", name, x)
	case network.Linear:
		return x
	}
	panic(fmt.Sprintf("export: activation %v has no ONNX mapping", a))
}

// tensorInfo describes a float tensor of shape [N, cols] with a symbolic
// batch dimension N.
func tensorInfo(name string, cols int64) message {
	var shape message
	shape = shape.sub(shapeDim, message(nil).str(dimParam, "N"))
	shape = shape.sub(shapeDim, message(nil).varint(dimValue, cols))
	tensor := message(nil).varint(tensorElemType, tensorFLOAT).sub(tensorShape, shape)
	return message(nil).str(valueName, name).sub(valueType, message(nil).sub(typeTensorType, tensor))
}
