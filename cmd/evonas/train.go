package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/dataset"
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
			&cli.StringFlag{Name: "lr-schedule", Value: string(network.Const), Usage: "learning rate over the epochs: const, or cosine decay from --lr towards 0"},
			&cli.StringFlag{Name: "optimizer", Value: "adam", Usage: "adam or sgd"},
			&cli.Float64Flag{Name: "momentum", Value: 0.9, Usage: "SGD momentum"},
			&cli.Float64Flag{Name: "l2", Usage: "L2 weight decay"},
			&cli.IntFlag{Name: "patience", Usage: "stop after this many epochs without a lower validation loss, keeping the best weights (0: off)"},
			&cli.StringFlag{Name: "precision", Value: string(network.Float32), Usage: "arithmetic of training: float32 or float64"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of the split, the weights, the shuffling and dropout"},
			&cli.Uint64Flag{Name: "data-seed", Usage: "seed of the split and of a generated data set, when it is not --seed (a search record's: its run's seed, with --seed the record's seed)"},
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

// dataFlags are the flags of every command that loads a data set.
func dataFlags(defaultData string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "data", Value: defaultData, Usage: "built-in data set name (see evonas datasets) or CSV file (.csv or .csv.gz)"},
		&cli.StringFlag{Name: "target", Usage: "target column of a CSV file (default: the last column)"},
		&cli.StringFlag{Name: "task", Usage: "binary, multiclass or regression (default: detected from the target)"},
		&cli.StringFlag{Name: "missing", Value: "error", Usage: "missing values: error, drop (the row) or mean (training-split mean)"},
		&cli.StringFlag{Name: "ignore", Usage: "columns to leave out, such as id,name"},
		&cli.StringFlag{Name: "split", Value: "0.7,0.15,0.15", Usage: "train,validation,test fractions (stratified for classification)"},
		&cli.IntFlag{Name: "rows", Usage: "rows of a generated data set (0: its default)"},
		&cli.Float64Flag{Name: "noise", Usage: "noise of a generated data set (0: its default)"},
	}
}

func runTrain(c *cli.Context) error {
	seed := c.Uint64("seed")
	hidden, err := network.ParseLayers(c.String("hidden"), c.String("activation"), c.String("dropout"))
	if err != nil {
		return err
	}
	cfg := network.TrainConfig{
		Epochs:    c.Int("epochs"),
		Batch:     c.Int("batch"),
		Optimizer: network.Optimizer(c.String("optimizer")),
		LR:        c.Float64("lr"),
		Schedule:  network.Schedule(c.String("lr-schedule")),
		Momentum:  c.Float64("momentum"),
		L2:        c.Float64("l2"),
		Patience:  c.Int("patience"),
		Seed:      seed,
		MaxMemory: int64(c.Int("max-memory-mb")) << 20,
	}
	if cfg.Precision, err = network.ParsePrecision(c.String("precision")); err != nil {
		return usagef("--precision: %v", err)
	}
	if c.Int("max-memory-mb") < 1 {
		return usagef("--max-memory-mb: want at least 1, got %d", c.Int("max-memory-mb"))
	}
	if mb := c.Int("max-memory-mb"); mb > 1<<30 {
		// The limit in bytes must fit an int64.
		return usagef("--max-memory-mb: want at most %d (1 PiB), got %d", 1<<30, mb)
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if c.IsSet("momentum") && cfg.Optimizer != network.SGD {
		// Said, not refused: a record's training settings, copied whole
		// to train it again, hold the momentum whatever its optimizer.
		fmt.Fprintf(c.App.ErrWriter, "evonas: note: --momentum is for --optimizer sgd; %s does not use it\n", cfg.Optimizer)
	}
	var log io.Writer
	if c.Bool("verbose") {
		log = c.App.ErrWriter
	}
	dataSeed := seed
	if c.IsSet("data-seed") {
		dataSeed = c.Uint64("data-seed")
	}
	opts := dataset.Options{Target: c.String("target"), Task: dataset.Task(c.String("task")), Missing: c.String("missing"),
		Seed: dataSeed, Rows: c.Int("rows"), Noise: c.Float64("noise"), Ignore: columnList(c.String("ignore"))}
	if err := opts.Validate(); err != nil {
		return err
	}
	if c.IsSet("split") {
		if opts.Split, err = dataset.ParseFractions(c.String("split")); err != nil {
			return err
		}
	}
	rep, d, err := run.Train(c.Context, run.TrainOptions{Data: c.String("data"), DataOptions: opts, Hidden: hidden, Training: cfg,
		Out: c.String("out"), Force: c.Bool("force"), Log: log,
		Note: func(n string) { fmt.Fprintf(c.App.ErrWriter, "evonas: note: %s\n", n) }})
	var me *network.MemoryError
	if errors.As(err, &me) {
		return usagef("%v (raise it with --max-memory-mb)", strings.TrimPrefix(err.Error(), "network: "))
	}
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return json.NewEncoder(c.App.Writer).Encode(rep)
	}
	rep.WriteText(c.App.Writer, d)
	return nil
}

// columnList reads a comma-separated list of column names.
func columnList(s string) []string {
	var out []string
	for _, name := range strings.Split(s, ",") {
		if name = strings.TrimSpace(name); name != "" {
			out = append(out, name)
		}
	}
	return out
}
