package run

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/search"
)

// The Pareto plot of a multi-objective search: every evaluation, the front
// highlighted.
const (
	ParetoFile    = "pareto.png"
	ParetoSVGFile = "pareto.svg"
)

// FrontMember is a member of a Pareto search's front in summary.json: its
// index (what export and predict --member take), the architecture, and the
// value of each objective.
type FrontMember struct {
	Index int `json:"index"`
	Candidate
	Objectives map[string]float64 `json:"objectives"`
	FLOPs      int64              `json:"flops"`
	LatencyUS  float64            `json:"latency_us,omitempty"`     // measured: median µs per sample
	LatencyIQR float64            `json:"latency_iqr_us,omitempty"` // interquartile range of the timed passes
}

// single is a record's Mean as one training: a Pareto front's members
// are single trainings.
func single(r fitness.Record) search.Mean {
	return search.Mean{Trainings: 1, Val: r.Val, Test: r.Test}
}

func frontMembers(front []fitness.Record, objectives []string, d *dataset.Data) []FrontMember {
	out := make([]FrontMember, len(front))
	for i, r := range front {
		m := FrontMember{Index: i, Candidate: candidateOf(r, single(r), d), Objectives: map[string]float64{},
			FLOPs: r.FLOPs, LatencyUS: r.LatencyUS, LatencyIQR: r.LatencyIQR}
		for _, o := range objectives {
			m.Objectives[o] = r.Objective(o)
		}
		out[i] = m
	}
	return out
}

// pareto fills a Pareto search's summary (objectives, front) and draws its
// plot from evaluations.jsonl; it returns the front, the most accurate
// member first.
func (s *Search) pareto(sum *Summary, res *search.Result, d *dataset.Data) ([]fitness.Record, error) {
	task := d.Task
	objs := s.Config.Objective.Minimize
	sum.Objectives, sum.Front = objs, frontMembers(res.Front, objs, d)
	recs, err := readEvaluations(s.Dir, false)
	if err != nil {
		return nil, err
	}
	if len(res.Front) > 0 {
		title := fmt.Sprintf("%s on %s: %d trainings, Pareto front of %d", s.Config.Name, sum.Data, sum.Evaluations, len(res.Front))
		if err := report.FrontPlot(recs, res.Front, objs, task, title, filepath.Join(s.Dir, ParetoFile), filepath.Join(s.Dir, ParetoSVGFile)); err != nil {
			return nil, err
		}
	}
	return res.Front, nil
}

// MemberModel retrains a member of the front of the Pareto search in dir,
// picked by its index in summary.json's front (0 is the most accurate) or
// by its key, with its recorded seed, the training it had in the search,
// and returns its model.
func MemberModel(ctx context.Context, dir, which string) (*model.Model, error) {
	d, err := Open(dir)
	if err != nil {
		return nil, err
	}
	const needs = "--member needs a Pareto search's run directory"
	switch {
	case d.IsTable():
		return nil, inputf("%s is a %s on table %s, which trains no nets: %s", dir, tableKind(d.Info), d.Info.Table, needs)
	case d.IsComparison():
		return nil, inputf("%s is a comparison, not a search: %s", dir, needs)
	}
	sum, err := d.Summary()
	if err != nil {
		return nil, err
	}
	if sum == nil || len(sum.Objectives) < 2 {
		return nil, inputf("%s: not a finished Pareto search (its summary.json has no front); --member needs one", dir)
	}
	recs, err := d.Records()
	if err != nil {
		return nil, err
	}
	// The front again, from the log: the full records, in the same order.
	front := search.Front(recs, sum.Objectives)
	rec, err := search.FrontMember(front, which)
	if err != nil {
		return nil, inputf("%s: %v", dir, err)
	}
	cfg, err := d.Config()
	if err != nil {
		return nil, err
	}
	data, err := LoadData(cfg.Data.Name, DataOptionsOf(cfg))
	if err != nil {
		return nil, err
	}
	ev := fitness.NewEvaluator(data, TrainingOf(cfg), cfg.Seed, 1)
	if rec.Status == fitness.Cached {
		return nil, fmt.Errorf("%s: front member %s is a cache hit without its original in the log", dir, rec.Key)
	}
	idx := 0
	for i, r := range front {
		if r.Key == rec.Key {
			idx = i
		}
	}
	return trainedModel(ctx, ev, rec, map[string]any{"command": "evolve", "front_member": idx, "record": rec})
}
