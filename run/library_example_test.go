package run_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/search"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/run"
)

// tinyConfig is a search small enough to run in a fraction of a second:
// configs.Default with a few fields changed in code.
func tinyConfig() configs.Config {
	cfg := configs.Default()
	cfg.Name = "tiny"
	cfg.Seed = 7
	cfg.Workers = 2
	cfg.Data.Name = "xor"
	cfg.Data.Rows = 200
	cfg.SearchSpace.Layers = configs.IntRange{Min: 1, Max: 1}
	cfg.SearchSpace.Width = configs.IntRange{Choices: []int{4, 8}}
	cfg.SearchSpace.Activations = []string{"tanh"}
	cfg.SearchSpace.Batch = []int{32}
	cfg.Training.Epochs = 20
	cfg.Evolution.Population = 4
	cfg.Evolution.Generations = 2
	return cfg
}

// A search run from Go, without a display: New validates the config and
// loads its data, Create makes the run directory, Run searches and returns
// the summary (what summary.json holds) and the search's result.
func ExampleSearch_Run() {
	root, err := os.MkdirTemp("", "evonas-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	dir := filepath.Join(root, "run")

	s, err := run.New(tinyConfig(), run.GA, 0, dir)
	if err != nil {
		log.Fatal(err)
	}
	if err := s.Create("my-program"); err != nil {
		log.Fatal(err)
	}
	sum, res, err := s.Run(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	best := res.Best[0] // the hall of fame, best first
	fmt.Println(sum.Stop, sum.Evaluations, "trainings")
	fmt.Printf("best %s: fitness %.4f, val %.4f, test %.4f\n", best.Arch, best.Fitness, best.Val.Acc, best.Test.Acc)
	fmt.Println(*sum.Best.Fitness == best.Fitness)
	// Output:
	// generations 9 trainings
	// best [8 tanh]: fitness 0.1333, val 0.8667, test 0.8667
	// true
}

// tinyRun runs tinyConfig's search into root/run, as ExampleSearch_Run does,
// and returns the directory.
func tinyRun(root string) string {
	dir := filepath.Join(root, "run")
	s, err := run.New(tinyConfig(), run.GA, 0, dir)
	if err != nil {
		log.Fatal(err)
	}
	if err := s.Create("my-program"); err != nil {
		log.Fatal(err)
	}
	if _, _, err := s.Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	return dir
}

// A finished run read back: its status, every evaluation and the summary.
func ExampleDir_Summary() {
	root, err := os.MkdirTemp("", "evonas-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	d, err := run.Open(tinyRun(root))
	if err != nil {
		log.Fatal(err)
	}
	status, err := d.Status()
	if err != nil {
		log.Fatal(err)
	}
	recs, err := d.Records()
	if err != nil {
		log.Fatal(err)
	}
	sum, err := d.Summary()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Info.Kind, status, len(recs), "records")
	gen0 := 0 // records are in the order trainings ended, which the workers decide
	for _, r := range recs {
		if r.Generation == 0 {
			gen0++
		}
	}
	fmt.Println(gen0, "in the initial population")
	fmt.Printf("best: %s, fitness %.4f, test accuracy %.4f\n", sum.Best.Arch, *sum.Best.Fitness, *sum.Best.TestAcc)
	// Output:
	// evolve finished 10 records
	// 4 in the initial population
	// best: [8 tanh], fitness 0.1333, test accuracy 0.8667
}

// The best model of a run loaded and asked about new rows, built in Go.
func ExampleLoadModel() {
	root, err := os.MkdirTemp("", "evonas-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	dir := tinyRun(root)

	m, err := model.Load(filepath.Join(dir, run.BestFile)) // or run.LoadModel(dir)
	if err != nil {
		log.Fatal(err)
	}
	rows := &dataset.Table{Source: "new rows", Columns: []dataset.Column{
		{Name: "x1", Num: []float64{0.8, -0.7, 0.6}},
		{Name: "x2", Num: []float64{0.9, 0.5, -0.8}},
	}}
	preds, err := m.Predict(rows)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range preds {
		fmt.Printf("%s %.2f\n", p.Label, p.Probs)
	}
	// Output:
	// 0 [0.66 0.34]
	// 1 [0.39 0.61]
	// 1 [0.42 0.58]
}

// stopAfter is an Observer that cancels a search after n evaluations, as a
// Ctrl-C would.
type stopAfter struct {
	n      int
	cancel context.CancelFunc
}

func (o *stopAfter) Evaluated(fitness.Record) {
	if o.n--; o.n == 0 {
		o.cancel()
	}
}

func (o *stopAfter) Generation(search.GenerationStats) {}

// An interrupted search resumed: Reopen replays it from its seed, answering
// the evaluations already logged from evaluations.jsonl, and Run goes on.
func ExampleReopen() {
	root, err := os.MkdirTemp("", "evonas-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	dir := filepath.Join(root, "run")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := run.New(tinyConfig(), run.GA, 0, dir)
	if err != nil {
		log.Fatal(err)
	}
	s.Observer = &stopAfter{n: 5, cancel: cancel}
	if err := s.Create("my-program"); err != nil {
		log.Fatal(err)
	}
	_, _, err = s.Run(ctx)
	fmt.Println("stopped:", errors.Is(err, context.Canceled))
	d, err := run.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	status, err := d.Status()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(status)

	cfg, err := run.ReadConfig(dir) // the config the run started with
	if err != nil {
		log.Fatal(err)
	}
	s, err = run.Reopen(dir, cfg, 0)
	if err != nil {
		log.Fatal(err)
	}
	sum, _, err := s.Run(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sum.Stop, sum.Evaluations, "trainings")
	fmt.Printf("best: %s, fitness %.4f\n", sum.Best.Arch, *sum.Best.Fitness)
	// Output:
	// stopped: true
	// interrupted
	// generations 9 trainings
	// best: [8 tanh], fitness 0.1333
}

// A search of a CSV file: the config names the file as its data (and,
// here, its target column and the columns to leave out).
func ExampleNew_csv() {
	root, err := os.MkdirTemp("", "evonas-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	var csv strings.Builder
	csv.WriteString("id,size,colour,price\n")
	for i := range 120 {
		size := float64(i%12) + 1
		colour := []string{"red", "green", "blue"}[i%3]
		csv.WriteString(fmt.Sprintf("%d,%g,%s,%g\n", i, size, colour, 10*size+0.25*float64(i%7)))
	}
	path := filepath.Join(root, "prices.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
		log.Fatal(err)
	}

	cfg := tinyConfig()
	cfg.Data = configs.Default().Data
	cfg.Data.Name = path
	cfg.Data.Target = "price"
	cfg.Data.Ignore = []string{"id"}
	s, err := run.New(cfg, run.Random, 4, filepath.Join(root, "run"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Data.Task, s.Data.Features)
	if err := s.Create("my-program"); err != nil {
		log.Fatal(err)
	}
	sum, _, err := s.Run(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sum.Strategy, sum.Task, sum.Evaluations, "trainings")
	fmt.Printf("best %s: test R² %.2f\n", sum.Best.Arch, *sum.Best.TestR2)
	// Output:
	// regression [size colour=blue colour=green colour=red]
	// random regression 4 trainings
	// best [8 tanh]: test R² 1.00
}

// A sweep of a config's population under two seeds, each variant against
// random search at the same budget; a comparison of configs (NewComparison
// with LoadVariants) runs the same way.
func ExampleSweepVariants() {
	root, err := os.MkdirTemp("", "evonas-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	axes, err := run.ParseAxes([]string{"evolution.population=4,6"})
	if err != nil {
		log.Fatal(err)
	}
	variants, err := run.SweepVariants(tinyConfig(), axes)
	if err != nil {
		log.Fatal(err)
	}
	c, err := run.NewComparison(run.KindSweep, "population", variants, 2, 6, filepath.Join(root, "sweep"))
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Create(); err != nil {
		log.Fatal(err)
	}
	sum, err := c.Run(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range sum.Strategies {
		fmt.Printf("%s: %d seeds, median test %s %.2f\n", s.Name, len(s.Seeds), sum.MetricName, s.FinalTest.Median)
	}
	fmt.Println(sum.Ranking)
	d, err := run.Open(c.Dir)
	if err != nil {
		log.Fatal(err)
	}
	members, err := d.Members()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(members), "searches; the first:", members[0].Strategy, members[0].Seed)
	// Output:
	// population=4: 2 seeds, median test accuracy 0.65
	// population=6: 2 seeds, median test accuracy 0.65
	// random: 2 seeds, median test accuracy 0.75
	// [1. population=4: median test accuracy 0.6500 2. population=6: median test accuracy 0.6500]
	// 6 searches; the first: population=4 1
}
