package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
)

// TestResumeCannotShorten checks that a resume whose generations or budget
// would stop the replay before the generations already logged is refused,
// leaving summary.json as it was, while one that reaches them is accepted.
// Such a resume replaced a finished run's summary and best.json with a
// shorter run's, its logs still holding every generation.
func TestResumeCannotShorten(t *testing.T) {
	cfg := smallConfig(t) // 3 generations
	dir := filepath.Join(t.TempDir(), "run")
	s, err := New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("run"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	summary := func() string {
		b, err := os.ReadFile(filepath.Join(dir, SummaryFile))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	before := summary()
	gens, err := readGenerations(dir, false)
	if err != nil || len(gens) != 4 {
		t.Fatalf("generations.jsonl: %d lines, %v; want 4", len(gens), err)
	}

	fewer := cfg
	fewer.Evolution.Generations = 1
	small := cfg
	small.Budget.Evaluations = gens[1].Evaluations // reached at generation 1
	for _, tc := range []struct {
		name string
		want string
	}{
		{"generations", "evolution.generations 1 would end it sooner"},
		{"budget", "reached at generation 1"},
	} {
		c := fewer
		if tc.name == "budget" {
			c = small
		}
		_, err := Reopen(dir, c, 0)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: reopen: %v; want an input error containing %q", tc.name, err, tc.want)
		}
	}
	if summary() != before {
		t.Errorf("a refused resume changed summary.json")
	}

	// The run's own settings, a budget reached only in its last
	// generation and more generations all reach what was logged.
	last := cfg
	last.Budget.Evaluations = gens[2].Evaluations + 1
	more := cfg
	more.Evolution.Generations = 4
	for _, c := range []struct {
		name string
		cfg  configs.Config
	}{{"the run's config", cfg}, {"a budget reached in the last generation", last}, {"more generations", more}} {
		if _, err := Reopen(dir, c.cfg, 0); err != nil {
			t.Errorf("%s: reopen: %v, want it accepted", c.name, err)
		}
	}
}

// TestCheckExtendsEarlyStops checks the early stops against a run's logged
// generations: a target fitness or a run of generations without
// improvement reached before its last generation would end the replay
// sooner, and is refused; one reached only at the last, or never, is not.
func TestCheckExtendsEarlyStops(t *testing.T) {
	dir := t.TempDir()
	var lines strings.Builder
	for g, best := range []float64{0.5, 0.4, 0.4, 0.3, 0.3} {
		fmt.Fprintf(&lines, `{"generation":%d,"evaluations":%d,"best":%g,"best_so_far":%g}`+"\n", g, 10*(g+1), best, best)
	}
	if err := os.WriteFile(filepath.Join(dir, GenerationsFile), []byte(lines.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	target := func(f float64) *float64 { return &f }
	for _, c := range []struct {
		name   string
		stop   configs.Stop
		refuse string // "" for accepted
	}{
		{"no early stop", configs.Stop{}, ""},
		{"target at generation 1", configs.Stop{TargetFitness: target(0.45)}, "stop.target_fitness 0.45, reached at generation 1"},
		{"target at generation 3", configs.Stop{TargetFitness: target(0.3)}, "stop.target_fitness 0.3, reached at generation 3"},
		{"target never reached", configs.Stop{TargetFitness: target(0.25)}, ""},
		{"one generation without improvement", configs.Stop{NoImprovement: 1}, "stop.no_improvement 1, reached at generation 2"},
		{"two, reached only at the last", configs.Stop{NoImprovement: 2}, ""},
	} {
		cfg := configs.Default()
		cfg.Evolution.Generations = 4
		cfg.Stop = c.stop
		err := checkExtends(dir, cfg)
		var ie *InputError
		switch {
		case c.refuse == "" && err != nil:
			t.Errorf("%s: %v, want it accepted", c.name, err)
		case c.refuse != "" && (!errors.As(err, &ie) || !strings.Contains(err.Error(), c.refuse)):
			t.Errorf("%s: %v, want an input error containing %q", c.name, err, c.refuse)
		}
	}
}

// TestResumeRandomCannotShorten: a random search resumed with fewer
// trainings than it logged is refused, leaving summary.json as it was;
// as many or more are accepted.
func TestResumeRandomCannotShorten(t *testing.T) {
	cfg := smallConfig(t)
	dir := filepath.Join(t.TempDir(), "run")
	s, err := New(cfg, Random, 12, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("random"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	var ie *InputError
	if _, err := Reopen(dir, cfg, 5); !errors.As(err, &ie) || !strings.Contains(err.Error(), "already made 12 trainings; 5 would end it sooner") {
		t.Errorf("reopen with 5 trainings: %v, want an input error saying 12 were made", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, SummaryFile)); string(after) != string(before) {
		t.Error("a refused resume changed summary.json")
	}
	for _, n := range []int{0, 12, 20} { // 0: the run's own
		if _, err := Reopen(dir, cfg, n); err != nil {
			t.Errorf("reopen with %d trainings: %v, want it accepted", n, err)
		}
	}
}
