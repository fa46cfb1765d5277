package run_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/run"
)

// A search run as evonas evolve runs it, from a program: New loads the
// data, Launch makes the run directory and runs the search, telling its
// display (here a line per generation, into a buffer) what it does.
func ExampleSearch_Launch() {
	cfg, err := configs.Parse([]byte(`seed: 3
data: {name: seed-sum, rows: 300}
search_space:
  layers: {min: 1, max: 2}
  width_choices: [4, 8, 16]
  activations: [relu, tanh]
  batch: [16, 32]
training: {epochs: 2, patience: 0}
evolution: {population: 4, generations: 2}
workers: 2
`), "example.yaml")
	if err != nil {
		log.Fatal(err)
	}
	root, err := os.MkdirTemp("", "evonas-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	s, err := run.New(cfg, run.GA, 0, filepath.Join(root, "run"))
	if err != nil {
		log.Fatal(err)
	}
	var progress strings.Builder
	sum, _, err := s.Launch(context.Background(), run.Setup{Command: "example", Display: run.NewProgress(&progress, run.Lines)})
	if err != nil {
		log.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(progress.String()), "\n")
	heading, _, _ := strings.Cut(lines[0], " (") // then the task, rows, workers and directory
	fmt.Println(heading)
	fmt.Printf("%d lines of progress; stopped: %s\n", len(lines)-1, sum.Stop)
	// Output:
	// evolving on seed-sum
	// 3 lines of progress; stopped: generations
}
