package network

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestValidateNamesTheSetting(t *testing.T) {
	ok := TrainConfig{Epochs: 1, Batch: 1, Optimizer: Adam, LR: 1e-3}
	for _, tc := range []struct {
		name   string
		change func(*TrainConfig)
		want   string // the setting named; "" for none
		msg    string
	}{
		{"valid", func(*TrainConfig) {}, "", ""},
		{"epochs", func(c *TrainConfig) { c.Epochs = 0 }, "epochs", "want at least 1, got 0"},
		{"batch", func(c *TrainConfig) { c.Batch = -2 }, "batch", "want at least 1, got -2"},
		{"optimizer", func(c *TrainConfig) { c.Optimizer = "" }, "optimizer", `unknown optimizer "" (want adam or sgd)`},
		{"zero lr", func(c *TrainConfig) { c.LR = 0 }, "lr", "want a positive, finite learning rate, got 0"},
		{"infinite lr", func(c *TrainConfig) { c.LR = math.Inf(1) }, "lr", "want a positive, finite learning rate, got +Inf"},
		{"l2", func(c *TrainConfig) { c.L2 = math.NaN() }, "l2", "want a non-negative, finite weight decay, got NaN"},
		{"momentum", func(c *TrainConfig) { c.Momentum = 1 }, "momentum", "want a value in [0, 1), got 1"},
		{"patience", func(c *TrainConfig) { c.Patience = -1 }, "patience", "want at least 0, got -1"},
		{"memory", func(c *TrainConfig) { c.MaxMemory = -1 }, "max_memory", "want at least 0, got -1"},
		{"precision", func(c *TrainConfig) { c.Precision = "float16" }, "precision", `unknown precision "float16" (want float32 or float64)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			err := c.Validate()
			var oe *OptionError
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate: %v, want nil", err)
			case tc.want == "":
			case !errors.As(err, &oe):
				t.Fatalf("Validate: %v, want an OptionError", err)
			case oe.Option() != tc.want || oe.Err.Error() != tc.msg:
				t.Errorf("Validate: option %q, %q; want %q, %q", oe.Option(), oe.Err, tc.want, tc.msg)
			}
		})
	}
}

func TestParseLayers(t *testing.T) {
	for _, tc := range []struct {
		widths, acts, drops string
		want                []Layer
		option, msg         string
	}{
		{"", "relu", "0", []Layer{}, "", ""},
		{"8, 4", "relu", "0.5", []Layer{{8, ReLU, 0.5}, {4, ReLU, 0.5}}, "", ""},
		{"8,4", "tanh,elu", "0,0.25", []Layer{{8, Tanh, 0}, {4, ELU, 0.25}}, "", ""},
		{"8,x", "relu", "0", nil, "hidden", `"x" is not an integer`},
		{"8,0", "relu", "0", nil, "hidden", "layer 2 has 0 units"},
		{"8,4", "relu,tanh,elu", "0", nil, "activation", "3 activations for 2 hidden layers"},
		{"8", "swish", "0", nil, "activation", `unknown activation "swish" (want relu, leaky_relu, elu, tanh, sigmoid, linear)`},
		{"8", "relu", "0,0.1", nil, "dropout", "2 values for 1 hidden layers"},
		{"8", "relu", "1", nil, "dropout", "1 outside [0, 1)"},
		{"8", "relu", "abc", nil, "dropout", `"abc" is not a number`},
		{"8", "relu", "", nil, "dropout", `"" is not a number`},
	} {
		t.Run(tc.widths+"/"+tc.acts+"/"+tc.drops, func(t *testing.T) {
			got, err := ParseLayers(tc.widths, tc.acts, tc.drops)
			if tc.option != "" {
				var oe *OptionError
				if !errors.As(err, &oe) || oe.Name != tc.option || oe.Err.Error() != tc.msg {
					t.Fatalf("error %v, want option %s: %s", err, tc.option, tc.msg)
				}
				return
			}
			if err != nil || len(got) != len(tc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("layer %d: got %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestTrainConfigJSONSeed: a training's seed is written to JSON (a saved
// model's record of its training) as a string, which a reader of JSON
// numbers as doubles holds exactly.
func TestTrainConfigJSONSeed(t *testing.T) {
	b, err := json.Marshal(TrainConfig{Epochs: 1, Seed: 17574229228095670314})
	if err != nil {
		t.Fatal(err)
	}
	if want := `"Seed":"17574229228095670314"`; !strings.Contains(string(b), want) {
		t.Errorf("got %s, want %s in it", b, want)
	}
}
