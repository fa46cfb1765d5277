package network

import (
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
)

// TestTrainingMemory checks the estimate against what a training of one
// epoch really allocates, for nets with and without dropout, Adam and SGD,
// early stopping or not, in float64 and float32.
func TestTrainingMemory(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec Spec
		cfg  TrainConfig
	}{
		{"adam", Spec{Inputs: 64, Hidden: []Layer{{Units: 512, Activation: ReLU}, {Units: 256, Activation: Tanh}}, Outputs: 10, Head: Softmax}, TrainConfig{Batch: 64, Patience: 2}},
		{"sgd dropout", Spec{Inputs: 300, Hidden: []Layer{{Units: 1024, Activation: ReLU, Dropout: 0.5}}, Outputs: 1, Head: Binary}, TrainConfig{Batch: 128, Optimizer: SGD}},
		{"big batch", Spec{Inputs: 8, Hidden: []Layer{{Units: 2000, Activation: ReLU}}, Outputs: 2, Head: Regression}, TrainConfig{Batch: 1000}},
		{"float32 adam", Spec{Inputs: 64, Hidden: []Layer{{Units: 512, Activation: ReLU}, {Units: 256, Activation: Tanh}}, Outputs: 10, Head: Softmax}, TrainConfig{Batch: 64, Patience: 2, Precision: Float32}},
		{"float32 sgd dropout", Spec{Inputs: 300, Hidden: []Layer{{Units: 1024, Activation: ReLU, Dropout: 0.5}}, Outputs: 1, Head: Binary}, TrainConfig{Batch: 128, Optimizer: SGD, Precision: Float32}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const rows = 500
			train := Data{X: make([]float64, rows*tc.spec.Inputs), Y: make([]float64, rows*max(1, tc.spec.Outputs)), N: rows}
			if tc.spec.Head != Regression {
				train.Y = train.Y[:rows]
			}
			cfg := tc.cfg
			cfg.Epochs, cfg.LR = 1, 1e-9
			want := tc.spec.TrainingMemory(cfg, rows, rows)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			n, err := New(tc.spec, 1)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := n.Train(context.Background(), train, train, cfg); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			got := float64(after.TotalAlloc - before.TotalAlloc)
			if got < 0.9*float64(want) || got > 1.1*float64(want) {
				t.Errorf("estimate %d bytes, allocated %.0f", want, got)
			}
		})
	}
}

// TestMemoryLimit checks that a net over the limit is refused, before any
// allocation, with the estimate and the limit in the error.
func TestMemoryLimit(t *testing.T) {
	spec := Spec{Inputs: 4, Hidden: []Layer{{Units: 10_000_000, Activation: ReLU}}, Outputs: 3, Head: Softmax}
	cfg := TrainConfig{Epochs: 1, Batch: 32}
	err := spec.CheckMemory(cfg, 100, 100)
	var me *MemoryError
	if !errors.As(err, &me) {
		t.Fatalf("CheckMemory: %v, want a *MemoryError", err)
	}
	if me.Limit != DefaultMaxMemory || me.Need < 10_000_000*4*8*4 {
		t.Errorf("need %d, limit %d", me.Need, me.Limit)
	}
	if msg := err.Error(); !strings.Contains(msg, "GiB") || !strings.Contains(msg, "limit") {
		t.Errorf("message %q does not give the estimate and the limit", msg)
	}
	cfg.MaxMemory = 1 << 40
	if err := spec.CheckMemory(cfg, 100, 100); err != nil {
		t.Errorf("with a limit of 1 TiB: %v", err)
	}
	// A width that overflows int arithmetic is refused too.
	huge := Spec{Inputs: 4, Hidden: []Layer{{Units: math.MaxInt / 4, Activation: ReLU}, {Units: math.MaxInt / 4, Activation: ReLU}}, Outputs: 1, Head: Binary}
	if err := huge.CheckMemory(TrainConfig{Batch: 32}, 100, 100); err == nil {
		t.Error("a net of (MaxInt/4)^2 weights passed")
	}
	// NewSession refuses too.
	small := Spec{Inputs: 4, Hidden: []Layer{{Units: 1000, Activation: ReLU}}, Outputs: 3, Head: Softmax}
	n, err := New(small, 1)
	if err != nil {
		t.Fatal(err)
	}
	d := Data{X: make([]float64, 400), Y: make([]float64, 100), N: 100}
	if _, err := n.NewSession(d, d, TrainConfig{Epochs: 1, Batch: 32, MaxMemory: 1000}); !errors.As(err, &me) {
		t.Errorf("NewSession over the limit: %v, want a *MemoryError", err)
	}
}
