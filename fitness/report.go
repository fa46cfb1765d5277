package fitness

import (
	"fmt"
	"strings"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/network"
)

// TrainReport is what the training of one net came to: its size, speed
// and scores, as evonas train prints it. A classification has accuracies,
// a regression R² and RMSE; the scores of an empty split are left out
// rather than reported as zeros.
type TrainReport struct {
	Data         string   `json:"data"`
	Task         string   `json:"task"`
	Arch         string   `json:"arch"`
	Params       int      `json:"params"`
	Seed         uint64   `json:"seed,string"`         // a string, as every seed evonas writes: a double cannot hold all 64 bits
	Precision    string   `json:"precision,omitempty"` // of training, when the caller says
	EpochsRun    int      `json:"epochs_run"`
	BestEpoch    int      `json:"best_epoch"`
	TrainS       float64  `json:"train_s"`
	StepS        float64  `json:"step_s"`
	TrainSamples int      `json:"train_samples"`
	SamplesPerS  float64  `json:"samples_per_s"`
	ValLoss      *float64 `json:"val_loss,omitempty"`
	ValAcc       *float64 `json:"val_acc,omitempty"`
	TestAcc      *float64 `json:"test_acc,omitempty"`
	ValR2        *float64 `json:"val_r2,omitempty"`
	TestR2       *float64 `json:"test_r2,omitempty"`
	ValRMSE      *float64 `json:"val_rmse,omitempty"`
	TestRMSE     *float64 `json:"test_rmse,omitempty"`
	Model        string   `json:"model,omitempty"` // the file the net was saved to, if any
}

// NewTrainReport reports o, the training (Train) of a net with the hidden
// layers on d with the seed.
func NewTrainReport(d *dataset.Data, hidden []network.Layer, o *Outcome, seed uint64) TrainReport {
	rep := TrainReport{
		Data:         d.Name,
		Task:         string(d.Task),
		Arch:         Arch(hidden),
		Params:       o.Net.Params(),
		Seed:         seed,
		EpochsRun:    o.Result.Epochs,
		BestEpoch:    o.Result.BestEpoch,
		TrainS:       o.Result.Seconds,
		StepS:        o.Result.StepSeconds,
		TrainSamples: o.Result.Samples,
	}
	if d.Val.N > 0 {
		rep.ValLoss = &o.Val.Loss
	}
	if o.Result.StepSeconds > 0 {
		rep.SamplesPerS = float64(o.Result.Samples) / o.Result.StepSeconds
	}
	if d.Task == dataset.Regression {
		if d.Val.N > 0 {
			rep.ValR2, rep.ValRMSE = &o.Val.R2, &o.Val.RMSE
		}
		if d.Test.N > 0 {
			rep.TestR2, rep.TestRMSE = &o.Test.R2, &o.Test.RMSE
		}
	} else {
		if d.Val.N > 0 {
			rep.ValAcc = &o.Val.Acc
		}
		if d.Test.N > 0 {
			rep.TestAcc = &o.Test.Acc
		}
	}
	return rep
}

// Arch writes hidden layers as "[64 relu, 32 tanh d0.2]": units,
// activation and dropout, if any, of each.
func Arch(layers []network.Layer) string {
	parts := make([]string, len(layers))
	for i, l := range layers {
		parts[i] = fmt.Sprintf("%d %s", l.Units, l.Activation)
		if l.Dropout > 0 {
			parts[i] += fmt.Sprintf(" d%g", l.Dropout)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
