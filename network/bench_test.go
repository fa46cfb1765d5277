package network

import (
	"math/rand/v2"
	"testing"
)

// benchStep measures one training step (forward, backward, Adam update) on a
// minibatch of random data; ns/op divided by batch is the per-sample cost.
func benchStep(b *testing.B, inputs int, hidden []int, outputs, batch int) {
	spec := Spec{Inputs: inputs, Outputs: outputs, Head: Softmax}
	for _, h := range hidden {
		spec.Hidden = append(spec.Hidden, Layer{Units: h, Activation: ReLU})
	}
	net, err := New(spec, 1)
	if err != nil {
		b.Fatal(err)
	}
	d := randomData(rand.New(rand.NewPCG(1, 1)), batch, inputs, outputs, Softmax)
	t := newTrainer(net, batch, TrainConfig{Epochs: 1, Batch: batch}.withDefaults())
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		t.step(d.X, d.Y, batch)
	}
	cpu.report(b, spec, batch, 8)
	b.ReportMetric(float64(batch)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
	reportFlops(b, spec, batch, 8)
}

// BenchmarkStepDigits is the digits workload: 64 inputs, [64,64] relu, 10
// classes, batch 32.
func BenchmarkStepDigits(b *testing.B) { benchStep(b, 64, []int{64, 64}, 10, 32) }

// BenchmarkStepMNIST is the mnist10k workload: 784 inputs, [128] relu, 10
// classes, batch 64.
func BenchmarkStepMNIST(b *testing.B) { benchStep(b, 784, []int{128}, 10, 64) }

// BenchmarkStepSeed is the classic example's largest net: 10 inputs, four
// layers of 63 relu units, one sigmoid output, batch 32.
func BenchmarkStepSeed(b *testing.B) {
	spec := Spec{Inputs: 10, Outputs: 1, Head: Binary}
	for range 4 {
		spec.Hidden = append(spec.Hidden, Layer{Units: 63, Activation: ReLU})
	}
	net, _ := New(spec, 1)
	d := randomData(rand.New(rand.NewPCG(1, 1)), 32, 10, 1, Binary)
	t := newTrainer(net, 32, TrainConfig{Epochs: 1, Batch: 32}.withDefaults())
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		t.step(d.X, d.Y, 32)
	}
	cpu.report(b, spec, 32, 8)
	b.ReportMetric(32*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
	reportFlops(b, spec, 32, 8)
}
