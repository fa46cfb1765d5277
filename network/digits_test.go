package network_test

import (
	"context"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/network"
)

// TestDigitsAccuracy is the acceptance test of the issue: a [64, 64] relu
// net trained 20 epochs with Adam 1e-3 in batches of 32 reaches 95% test
// accuracy on the 8x8 digits.
func TestDigitsAccuracy(t *testing.T) {
	d, err := dataset.Load("digits", dataset.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if d.Task != dataset.Multiclass || len(d.Classes) != 10 || d.Train.D != 64 {
		t.Fatalf("digits: task %s, %d classes, %d features; want multiclass, 10, 64", d.Task, len(d.Classes), d.Train.D)
	}
	spec := network.Spec{
		Inputs:  d.Train.D,
		Hidden:  []network.Layer{{Units: 64, Activation: network.ReLU}, {Units: 64, Activation: network.ReLU}},
		Outputs: len(d.Classes),
		Head:    network.Softmax,
	}
	net, err := network.New(spec, 1)
	if err != nil {
		t.Fatal(err)
	}
	split := func(s dataset.Split) network.Data { return network.Data{X: s.X, Y: s.Y, N: s.N} }
	cfg := network.TrainConfig{Epochs: 20, Batch: 32, Optimizer: network.Adam, LR: 1e-3, Seed: 1}
	res, err := net.Train(context.Background(), split(d.Train), split(d.Val), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Epochs != cfg.Epochs {
		t.Errorf("trained %d epochs, want %d", res.Epochs, cfg.Epochs)
	}
	m, err := net.Evaluate(split(d.Test))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d test rows: loss %.4f, accuracy %.4f; trained in %.2f s", d.Test.N, m.Loss, m.Accuracy, res.Seconds)
	if m.Accuracy < 0.95 {
		t.Errorf("test accuracy = %.4f, want >= 0.95", m.Accuracy)
	}
}
