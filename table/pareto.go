package table

import (
	"fmt"
	"math"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// SetObjectives makes the problem's comparisons multi-objective (with two
// or more): Analyze adds hypervolumes, their curves and tests (Comparison.
// Pareto). A table has no latency to offer, and sizes only when its shape
// is known (Shapes) or it has a params column.
func (p *Problem) SetObjectives(objectives []string) error {
	if err := fitness.CheckObjectives(objectives); err != nil {
		return err
	}
	for _, o := range objectives {
		switch o {
		case fitness.LatencyObjective:
			return fmt.Errorf("table %s: latency is measured on a trained net; a table has none to offer", p.Table.Name)
		case fitness.ParamsObjective, fitness.FLOPsObjective:
			if p.Table.params == nil {
				return fmt.Errorf("table %s: %s unknown (no params column, and the table is none of table.Shapes')", p.Table.Name, o)
			}
			if _, ok := Shapes[p.Table.Name]; !ok && o == fitness.FLOPsObjective {
				return fmt.Errorf("table %s: flops unknown (the table is none of table.Shapes')", p.Table.Name)
			}
		}
	}
	p.Objectives = objectives
	return nil
}

// Frame is the hypervolume frame of the problem's objectives: the error
// from 0 to 1, each size from the table's smallest net to its largest.
func (p *Problem) Frame() search.Frame {
	t := p.Table
	lo, hi := make([]float64, len(p.Objectives)), make([]float64, len(p.Objectives))
	for i, o := range p.Objectives {
		lo[i], hi[i] = math.Inf(1), math.Inf(-1)
		for row := range t.Len() {
			var v float64
			switch o {
			case fitness.ParamsObjective:
				v = float64(t.Params(row))
			case fitness.FLOPsObjective:
				v = float64(t.FLOPs(row))
			default:
				continue
			}
			lo[i], hi[i] = math.Min(lo[i], v), math.Max(hi[i], v)
		}
	}
	return search.NewFrame(p.Objectives, lo, hi)
}

// pareto is the multi-objective analysis of runs[s][i]: hypervolumes in
// the problem's frame, the test hypervolume putting each front member's
// mean over the table's repeats in place of the value the search observed.
func (p *Problem) pareto(strategies []Strategy, runs [][]*Run, budget int) *search.Comparison {
	t := p.Table
	var srs []search.StrategyRuns
	for si, s := range strategies {
		sr := search.StrategyRuns{Name: s.Name}
		for _, r := range runs[si] {
			sr.Runs = append(sr.Runs, search.Run{Seed: r.Seed, Records: r.Records})
		}
		srs = append(srs, sr)
	}
	f := p.Frame()
	mean := func(r fitness.Record) float64 {
		row, ok := t.Index(r.Genome)
		if !ok {
			return math.Inf(1)
		}
		return t.Fitness(t.Mean(row))
	}
	c, err := search.Analyze(srs, budget, t.Task(), search.Pareto{Objectives: p.Objectives, Frame: &f, TestError: mean,
		TestErrorIs: "its mean over the table's repeats (the value the search saw was one repeat)"})
	if err != nil {
		return nil // budget >= 1 and the objectives were checked
	}
	return c
}
