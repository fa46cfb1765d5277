// Command asyncbias measures how good each model's search is per training
// on the shipped tables with training times (docs/tables.md, "Simulating
// W workers"): over seeds 1..N, the median and mean regret of the
// incumbent after n trainings, for generational and regularized evolution
// and random search in the search's own order, for the asynchronous model
// on 1 and on W simulated workers and for the generational model on W, in
// the order the trainings finish on the virtual clock.
//
//	go run ./bench/asyncbias [-seeds 100] [-workers 64] [-tables spirals_mlp,digits_mlp]
//
// Population W, sample size W / 4, budget 16 x W but at most half the
// table, as evonas table simulate by default.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/search"
	"github.com/evonas/evonas/table"
)

func main() {
	seeds := flag.Int("seeds", 100, "seeds 1..N")
	workers := flag.Int("workers", 64, "simulated workers (and the population)")
	tables := flag.String("tables", "spirals_mlp,digits_mlp", "tables, comma-separated (files or shipped names)")
	flag.Parse()
	if err := run(*seeds, *workers, strings.Split(*tables, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "asyncbias:", err)
		os.Exit(2)
	}
}

func run(seeds, w int, tables []string) error {
	ctx := context.Background()
	for _, name := range tables {
		tb, err := table.Open(name)
		if err != nil {
			return err
		}
		p, err := table.NewProblem(tb, tb.Space())
		if err != nil {
			return err
		}
		budget := max(min(16*w, tb.Len()/2), 1)
		cfg := configs.Default()
		cfg.Evolution.Population, cfg.Evolution.SampleSize = w, max(w/4, 1)
		points := []int{16, 32, 64, 128, 256, budget}
		fmt.Printf("%s: %d workers, population %d, sample size %d, budget %d, seeds 1..%d; median / mean regret after n trainings\n\n",
			tb.Name, w, w, max(w/4, 1), budget, seeds)
		head := "| strategy |"
		for _, n := range points {
			head += fmt.Sprintf(" @%d |", n)
		}
		fmt.Println(head)
		fmt.Println("|" + strings.Repeat(" --- |", len(points)+1))
		row := func(label string, one func(seed uint64) ([]float64, error)) error {
			var regrets [][]float64
			for seed := uint64(1); seed <= uint64(seeds); seed++ {
				r, err := one(seed)
				if err != nil {
					return err
				}
				regrets = append(regrets, r)
			}
			line := "| " + label + " |"
			for _, n := range points {
				var v []float64
				for _, r := range regrets {
					if len(r) > 0 {
						v = append(v, r[min(n, len(r))-1])
					}
				}
				s := search.Summarize(v)
				line += fmt.Sprintf(" %.4f / %.4f |", s.Median, s.Mean)
			}
			fmt.Println(line)
			return nil
		}
		for _, model := range []string{"generational", "regularized"} {
			s := cfg.Settings()
			s.Model = model
			if err := row(model+", search order", func(seed uint64) ([]float64, error) {
				r, err := p.Run(ctx, table.Evolution(model, s), seed, budget)
				if err != nil {
					return nil, err
				}
				return r.Regret, nil
			}); err != nil {
				return err
			}
		}
		if err := row("random, search order", func(seed uint64) ([]float64, error) {
			r, err := p.Run(ctx, table.Random(), seed, budget)
			if err != nil {
				return nil, err
			}
			return r.Regret, nil
		}); err != nil {
			return err
		}
		a := cfg.Settings()
		a.Model = search.AsyncModel
		for _, workers := range []int{1, w} {
			if err := row(fmt.Sprintf("%s, %d workers", search.AsyncModel, workers), func(seed uint64) ([]float64, error) {
				r, err := p.SimulateAsync(a, seed, budget, workers)
				if err != nil {
					return nil, err
				}
				return r.Regret, nil
			}); err != nil {
				return err
			}
		}
		g := cfg.Settings()
		g.Model = "generational"
		if err := row(fmt.Sprintf("generational, %d workers", w), func(seed uint64) ([]float64, error) {
			r, err := p.SimulateGenerations(ctx, table.Evolution("generational", g), seed, budget, w)
			if err != nil {
				return nil, err
			}
			return r.Regret, nil
		}); err != nil {
			return err
		}
		fmt.Println()
	}
	return nil
}
