package run

import (
	"context"
	"errors"
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
