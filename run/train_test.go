package run

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/network"
)

func TestTrain(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.json")
	loaded := 0
	o := TrainOptions{Data: "xor", DataOptions: dataset.Options{Seed: 2}, Hidden: []network.Layer{{Units: 4, Activation: network.Tanh}},
		Training: network.TrainConfig{Epochs: 2, Batch: 32, Optimizer: network.Adam, LR: 1e-2, Seed: 2, Precision: network.Float32},
		Out:      out, Loaded: func(d *dataset.Data) { loaded++ }}
	rep, d, err := Train(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if loaded != 1 || d.Name != "xor" || rep.Data != "xor" || rep.EpochsRun != 2 || rep.Model != out || rep.Precision != "float32" || rep.Seed != 2 {
		t.Errorf("loaded %d times, data %s; report %+v", loaded, d.Name, rep)
	}
	m, err := LoadModel(out)
	if err != nil {
		t.Fatalf("the saved model: %v", err)
	}
	if m.Net.Params() != rep.Params {
		t.Errorf("the saved model has %d parameters, the report %d", m.Net.Params(), rep.Params)
	}

	loaded = 0
	if _, _, err := Train(context.Background(), o); err == nil || !strings.Contains(err.Error(), "already exists") || loaded != 0 {
		t.Errorf("an existing --out without force: %v, data loaded %d times; want an error before loading", err, loaded)
	}
	o.Force = true
	if _, _, err := Train(context.Background(), o); err != nil {
		t.Errorf("with force: %v", err)
	}

	o.Out, o.Hidden, o.Training.MaxMemory = "", []network.Layer{{Units: 100000}, {Units: 100000}}, 1<<20
	var me *network.MemoryError
	if _, _, err := Train(context.Background(), o); !errors.As(err, &me) {
		t.Errorf("a net over the memory limit: %v, want a *network.MemoryError", err)
	}
}

// TestTrainNotesAndLog: a batch larger than the training rows is a note
// before the training, and Log gets a line per epoch, after the caller's
// own OnEpoch.
func TestTrainNotesAndLog(t *testing.T) {
	var notes []string
	var log strings.Builder
	epochs := 0
	o := TrainOptions{Data: "iris", DataOptions: dataset.Options{Seed: 1}, Hidden: []network.Layer{{Units: 4, Activation: network.Tanh}},
		Training: network.TrainConfig{Epochs: 3, Batch: 500, Optimizer: network.Adam, LR: 1e-2, Seed: 1, Precision: network.Float64,
			OnEpoch: func(network.EpochStats) bool { epochs++; return false }},
		Note: func(n string) { notes = append(notes, n) }, Log: &log}
	if _, _, err := Train(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	want := "--batch 500 is more than the 105 training rows; each epoch is one batch of 105"
	if len(notes) != 1 || notes[0] != want {
		t.Errorf("notes %q, want [%q]", notes, want)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if epochs != 3 || len(lines) != 3 || !strings.HasPrefix(lines[0], "epoch 1/3: train loss ") || !strings.HasPrefix(lines[2], "epoch 3/3: ") {
		t.Errorf("OnEpoch called %d times, log %q; want 3 and a line per epoch", epochs, lines)
	}
}

// TestTrainNoValidationRows: without validation rows, patience has nothing
// to watch and is refused before the training, and the epoch log shows no
// validation loss of 0.
func TestTrainNoValidationRows(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.json")
	o := TrainOptions{Data: "iris", DataOptions: dataset.Options{Seed: 1, Split: dataset.Fractions{Train: 0.7, Test: 0.3}},
		Hidden:   []network.Layer{{Units: 4, Activation: network.Tanh}},
		Training: network.TrainConfig{Epochs: 2, Batch: 32, Optimizer: network.Adam, LR: 1e-2, Seed: 1, Precision: network.Float32, Patience: 3},
		Out:      out}
	var oe *OptionError
	if _, _, err := Train(context.Background(), o); !errors.As(err, &oe) || oe.Name != "patience" {
		t.Errorf("patience 3 without validation rows: %v, want an *OptionError of patience", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("the refused training wrote %s", out)
	}

	var log strings.Builder
	o.Training.Patience, o.Log, o.Out = 0, &log, ""
	rep, _, err := Train(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ValLoss != nil || rep.TestAcc == nil {
		t.Errorf("report val_loss %v, test_acc %v; want none and one", rep.ValLoss, rep.TestAcc)
	}
	if got := log.String(); strings.Contains(got, "val loss") || !strings.Contains(got, "epoch 2/2: train loss ") {
		t.Errorf("log %q, want train losses only", got)
	}
}
