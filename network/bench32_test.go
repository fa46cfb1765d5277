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
	benchHelped(b, Spec{Inputs: 784, Outputs: 10, Head: Softmax, Hidden: []Layer{{Units: 128, Activation: ReLU}}}, 64, true)
}

// wideSpec is a large net of the default search's space on digits: a
// generation's straggler in docs/benchmarks.md, 1,012 x 809 tanh units
// with dropout, trained in minibatches of 32.
var wideSpec = Spec{Inputs: 64, Outputs: 10, Head: Softmax, Hidden: []Layer{
	{Units: 1012, Activation: Tanh, Dropout: 0.243}, {Units: 809, Activation: Tanh, Dropout: 0.243}}}

// BenchmarkStep32Wide and BenchmarkStep32WideHelped: the wide net's step
// alone and with a second core lent; the latter needs GOMAXPROCS >= 2
// (make bench runs both so).
func BenchmarkStep32Wide(b *testing.B)       { benchHelped(b, wideSpec, 32, false) }
func BenchmarkStep32WideHelped(b *testing.B) { benchHelped(b, wideSpec, 32, true) }

func benchHelped(b *testing.B, spec Spec, batch int, helped bool) {
	if helped && runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs GOMAXPROCS >= 2")
	}
	net, err := New(spec, 1)
	if err != nil {
		b.Fatal(err)
	}
	d := randomData(rand.New(rand.NewPCG(1, 1)), batch, spec.Inputs, spec.Outputs, spec.Head)
	cfg := TrainConfig{Epochs: 1, Batch: batch, Precision: Float32}
	if helped {
		cfg.Helpers = &lender{sem: make(chan struct{}, 1)}
	}
	t := newTrainer32(net, batch, cfg.withDefaults())
	defer t.stopHelper()
	x := t.inputs(d)
	b.ReportAllocs()
	for b.Loop() {
		t.step(x, d.Y, batch)
	}
	b.ReportMetric(float64(batch)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
	reportFlops(b, spec, batch, 4)
}
