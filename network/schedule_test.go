package network

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestCosineRates(t *testing.T) {
	c := TrainConfig{Epochs: 4, LR: 0.1, Schedule: Cosine}
	want := []float64{0.1, 0.1 * (1 + math.Sqrt2/2) / 2, 0.05, 0.1 * (1 - math.Sqrt2/2) / 2}
	for e, w := range want {
		if got := c.lrAt(e + 1); math.Abs(got-w) > 1e-15 {
			t.Errorf("epoch %d: lr %v, want %v", e+1, got, w)
		}
	}
	c.Schedule = Const
	if got := c.lrAt(3); got != 0.1 {
		t.Errorf("const schedule: lr %v at epoch 3, want 0.1", got)
	}
	var oe *OptionError
	if err := CheckConfig(TrainConfig{Epochs: 1, Batch: 1, Schedule: "step"}); !errors.As(err, &oe) || oe.Name != "lr_schedule" {
		t.Errorf("CheckConfig of an unknown schedule: %v, want an *OptionError of lr_schedule", err)
	}
}

// TestCosineTraining checks that training follows the schedule: a cosine
// training of 3 epochs ends with the weights of a constant-rate training
// whose rate is set by hand to the cosine's before each epoch, and not with
// those of a constant-rate training.
func TestCosineTraining(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	train := randomData(rng, 60, 4, 1, Regression)
	val := randomData(rng, 20, 4, 1, Regression)
	spec := Spec{Inputs: 4, Outputs: 1, Head: Regression, Hidden: []Layer{{Units: 8, Activation: Tanh}}}
	for _, opt := range []Optimizer{SGD, Adam} {
		cfg := TrainConfig{Epochs: 3, Batch: 8, LR: 0.05, Optimizer: opt, Seed: 9}
		cos := cfg
		cos.Schedule = Cosine
		cosNet, _ := New(spec, 2)
		if _, err := cosNet.Train(context.Background(), train, val, cos); err != nil {
			t.Fatal(err)
		}
		constNet, _ := New(spec, 2)
		if _, err := constNet.Train(context.Background(), train, val, cfg); err != nil {
			t.Fatal(err)
		}
		byHand, _ := New(spec, 2)
		s, err := byHand.NewSession(train, val, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for e := 1; e <= cfg.Epochs; e++ {
			s.cfg.LR = cos.lrAt(e)
			if _, err := s.Run(context.Background(), e); err != nil {
				t.Fatal(err)
			}
		}
		s.Finish()
		if !reflect.DeepEqual(cosNet.Weights(), byHand.Weights()) {
			t.Errorf("%s: cosine training differs from the rates set by hand", opt)
		}
		if reflect.DeepEqual(cosNet.Weights(), constNet.Weights()) {
			t.Errorf("%s: cosine training ended with the constant rate's weights", opt)
		}
	}
}
