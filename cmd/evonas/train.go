package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
	"github.com/evonas/evonas/run"
)

func trainCommand() *cli.Command {
	return &cli.Command{
		Name:  "train",
		Usage: "train one dense net and report its speed and accuracy",
		Flags: append(dataFlags("digits"),
			&cli.StringFlag{Name: "hidden", Value: "64,64", Usage: "hidden layer widths, comma-separated (empty: no hidden layer)"},
			&cli.StringFlag{Name: "activation", Value: "relu", Usage: "activation of every hidden layer, or one per layer (relu, leaky_relu, elu, tanh, sigmoid, linear)"},
			&cli.StringFlag{Name: "dropout", Value: "0", Usage: "dropout of every hidden layer, or one per layer"},
			&cli.IntFlag{Name: "epochs", Value: 20, Usage: "training epochs"},
			&cli.IntFlag{Name: "batch", Value: 32, Usage: "minibatch size"},
			&cli.Float64Flag{Name: "lr", Value: 1e-3, Usage: "learning rate"},
			&cli.StringFlag{Name: "optimizer", Value: "adam", Usage: "adam or sgd"},
			&cli.Float64Flag{Name: "momentum", Value: 0.9, Usage: "SGD momentum"},
			&cli.Float64Flag{Name: "l2", Usage: "L2 weight decay"},
			&cli.IntFlag{Name: "patience", Usage: "stop after this many epochs without a lower validation loss, keeping the best weights (0: off)"},
			&cli.StringFlag{Name: "precision", Value: string(network.Float32), Usage: "arithmetic of training: float32 or float64"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of the split, the weights, the shuffling and dropout"},
			&cli.StringFlag{Name: "out", Usage: "save the trained model to this JSON file"},
			forceFlag(),
			&cli.IntFlag{Name: "max-memory-mb", Value: int(network.DefaultMaxMemory >> 20), Usage: "refuse a net whose training needs more memory than this, in MiB"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object instead of text"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print each epoch's metrics on stderr"},
		),
		Before: noArgs,
		Action: runTrain,
	}
}

func runTrain(c *cli.Context) error {
	seed := c.Uint64("seed")
	hidden, err := hiddenLayers(c.String("hidden"), c.String("activation"), c.String("dropout"))
	if err != nil {
		return err
	}
	cfg := network.TrainConfig{
		Epochs:    c.Int("epochs"),
		Batch:     c.Int("batch"),
		Optimizer: network.Optimizer(c.String("optimizer")),
		LR:        c.Float64("lr"),
		Momentum:  c.Float64("momentum"),
		L2:        c.Float64("l2"),
		Patience:  c.Int("patience"),
		Seed:      seed,
		MaxMemory: int64(c.Int("max-memory-mb")) << 20,
	}
	if cfg.Precision, err = network.ParsePrecision(c.String("precision")); err != nil {
		return usagef("--precision: %v", err)
	}
	switch {
	case cfg.Epochs < 1:
		return usagef("--epochs: want at least 1, got %d", cfg.Epochs)
	case cfg.Batch < 1:
		return usagef("--batch: want at least 1, got %d", cfg.Batch)
	case cfg.Optimizer != network.Adam && cfg.Optimizer != network.SGD:
		return usagef("--optimizer: unknown optimizer %q (want adam or sgd)", cfg.Optimizer)
	case !(cfg.LR > 0) || math.IsInf(cfg.LR, 1):
		return usagef("--lr: want a positive, finite learning rate, got %g", cfg.LR)
	case !(cfg.L2 >= 0) || math.IsInf(cfg.L2, 1):
		return usagef("--l2: want a non-negative, finite weight decay, got %g", cfg.L2)
	case !(cfg.Momentum >= 0 && cfg.Momentum < 1):
		return usagef("--momentum: want a value in [0, 1), got %g", cfg.Momentum)
	case cfg.Patience < 0:
		return usagef("--patience: want at least 0, got %d", cfg.Patience)
	case cfg.MaxMemory < 1<<20:
		return usagef("--max-memory-mb: want at least 1, got %d", c.Int("max-memory-mb"))
	}
	if c.Bool("verbose") {
		cfg.OnEpoch = func(s network.EpochStats) bool {
			fmt.Fprintf(c.App.ErrWriter, "epoch %d/%d: train loss %.4f, val loss %.4f\n", s.Epoch, cfg.Epochs, s.TrainLoss, s.Val.Loss)
			return false
		}
	}
	opts, err := dataOptions(c, seed)
	if err != nil {
		return err
	}
	out := c.String("out")
	if out != "" {
		if err := run.CheckWritable(out); err != nil {
			return err
		}
		if err := refuseOverwrite(c, out); err != nil {
			return err
		}
	}
	d, err := run.LoadData(c.String("data"), opts)
	if err != nil {
		return err
	}
	printNotes(c, d.Notes)
	if cfg.Batch > d.Train.N {
		fmt.Fprintf(c.App.ErrWriter, "evonas: note: --batch %d is more than the %d training rows; each epoch is one batch of %d\n", cfg.Batch, d.Train.N, d.Train.N)
	}
	o, err := fitness.Train(c.Context, d, hidden, cfg, seed)
	var me *network.MemoryError
	if errors.As(err, &me) {
		return usagef("%v (raise it with --max-memory-mb)", strings.TrimPrefix(err.Error(), "network: "))
	}
	if err != nil {
		return err
	}
	rep := fitness.NewTrainReport(d, hidden, o, seed)
	rep.Model, rep.Precision = out, string(cfg.Precision)
	if out != "" {
		m, err := model.New(d.Name, d.Prep, o.Net, map[string]any{"command": "train", "training": cfg, "metrics": rep})
		if err != nil {
			return err
		}
		if err := m.Save(out); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		enc := json.NewEncoder(c.App.Writer)
		return enc.Encode(rep)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "trained %s on %s (%s; %d train, %d validation, %d test rows)\n", rep.Arch, d.Name, d.Task, d.Train.N, d.Val.N, d.Test.N)
	fmt.Fprintf(w, "%d parameters, %d epochs (best %d) in %.2f s, %.0f training samples/s\n", rep.Params, rep.EpochsRun, rep.BestEpoch, rep.TrainS, rep.SamplesPerS)
	// An empty split has no metrics: say so rather than print zeros.
	val, test := "no validation rows", "no test rows"
	if d.Task == dataset.Regression {
		if d.Val.N > 0 {
			val = fmt.Sprintf("validation R² %.4f, RMSE %.4g", o.Val.R2, o.Val.RMSE)
		}
		if d.Test.N > 0 {
			test = fmt.Sprintf("test R² %.4f, RMSE %.4g", o.Test.R2, o.Test.RMSE)
		}
	} else {
		if d.Val.N > 0 {
			val = fmt.Sprintf("validation loss %.4f, accuracy %.4f", o.Val.Loss, o.Val.Acc)
		}
		if d.Test.N > 0 {
			test = fmt.Sprintf("test accuracy %.4f", o.Test.Acc)
		}
	}
	fmt.Fprintf(w, "%s; %s\n", val, test)
	if out != "" {
		fmt.Fprintf(w, "model saved to %s\n", out)
	}
	return nil
}

// hiddenLayers parses the --hidden, --activation and --dropout flags.
func hiddenLayers(widths, acts, drops string) ([]network.Layer, error) {
	ws, err := intList(widths)
	if err != nil {
		return nil, usagef("--hidden: %v", err)
	}
	actList := strings.Split(acts, ",")
	if len(actList) != 1 && len(actList) != len(ws) {
		return nil, usagef("--activation: %d activations for %d hidden layers", len(actList), len(ws))
	}
	dropList, err := floatList(drops)
	if err != nil {
		return nil, usagef("--dropout: %v", err)
	}
	if len(dropList) != 1 && len(dropList) != len(ws) {
		return nil, usagef("--dropout: %d values for %d hidden layers", len(dropList), len(ws))
	}
	layers := make([]network.Layer, len(ws))
	for i, w := range ws {
		if w < 1 {
			return nil, usagef("--hidden: layer %d has %d units", i+1, w)
		}
		a, err := network.ParseActivation(strings.TrimSpace(actList[min(i, len(actList)-1)]))
		if err != nil {
			return nil, usagef("--activation: %v", err)
		}
		d := dropList[min(i, len(dropList)-1)]
		if !(d >= 0 && d < 1) {
			return nil, usagef("--dropout: %g outside [0, 1)", d)
		}
		layers[i] = network.Layer{Units: w, Activation: a, Dropout: d}
	}
	return layers, nil
}
