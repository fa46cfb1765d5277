package network

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// benchStep32 is benchStep with the float32 trainer.
func benchStep32(b *testing.B, inputs int, hidden []int, outputs, batch int) {
	spec := Spec{Inputs: inputs, Outputs: outputs, Head: Softmax}
	for _, h := range hidden {
		spec.Hidden = append(spec.Hidden, Layer{Units: h, Activation: ReLU})
	}
	net, err := New(spec, 1)
	if err != nil {
		b.Fatal(err)
	}
	d := randomData(rand.New(rand.NewPCG(1, 1)), batch, inputs, outputs, Softmax)
	t := newTrainer32(net, batch, TrainConfig{Epochs: 1, Batch: batch, Precision: Float32}.withDefaults())
	x := t.inputs(d)
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		t.step(x, d.Y, batch)
	}
	cpu.report(b, spec, batch, 4)
	b.ReportMetric(float64(batch)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
	reportFlops(b, spec, batch, 4)
}

// BenchmarkStep32Digits is BenchmarkStepDigits in float32.
func BenchmarkStep32Digits(b *testing.B) { benchStep32(b, 64, []int{64, 64}, 10, 32) }

// BenchmarkStep32MNIST is BenchmarkStepMNIST in float32.
func BenchmarkStep32MNIST(b *testing.B) { benchStep32(b, 784, []int{128}, 10, 64) }

// BenchmarkStep32MNISTHelped is BenchmarkStep32MNIST with a second core
// lent for every step (network.Helpers), as a search's last training of a
// generation gets it; it needs GOMAXPROCS >= 2.
func BenchmarkStep32MNISTHelped(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs GOMAXPROCS >= 2")
	}
	spec := Spec{Inputs: 784, Outputs: 10, Head: Softmax, Hidden: []Layer{{Units: 128, Activation: ReLU}}}
	net, err := New(spec, 1)
	if err != nil {
		b.Fatal(err)
	}
	d := randomData(rand.New(rand.NewPCG(1, 1)), 64, 784, 10, Softmax)
	l := &lender{sem: make(chan struct{}, 1)}
	t := newTrainer32(net, 64, TrainConfig{Epochs: 1, Batch: 64, Precision: Float32, Helpers: l}.withDefaults())
	defer t.stopHelper()
	x := t.inputs(d)
	b.ReportAllocs()
	for b.Loop() {
		t.step(x, d.Y, 64)
	}
	b.ReportMetric(64*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
	reportFlops(b, spec, 64, 4)
}
