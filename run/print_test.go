package run

import (
	"math"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/search"
)

func TestWriteResult(t *testing.T) {
	d := &dataset.Data{Task: dataset.Multiclass}
	d.Test.N = 0 // no test rows: a dash, not a score of 0
	res := &search.Result{Best: []fitness.Record{
		{Arch: "8r", Genome: genome.Genome{LR: 0.01, Batch: 32}, Fitness: 0.9, Val: fitness.Scores{Acc: 0.9}, Params: 42},
		{Arch: "4t", Genome: genome.Genome{LR: 0.1, Batch: 16}, Fitness: math.Inf(-1), Status: fitness.Failed},
	}}
	var b strings.Builder
	WriteResult(&b, Summary{Evaluations: 2, Generations: 1, Stop: "budget"}, res, d, "runs/x")
	out := b.String()
	for _, want := range []string{"2 trainings and 0 cache hits over 1 generation ", "VAL ACC", "0.9000", "failed", "best.json", "predict with: evonas predict --model runs/x/best.json"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "0.0000") {
		t.Errorf("an empty test split or a failure printed as a score:\n%s", out)
	}

	b.Reset()
	WriteResult(&b, Summary{Evaluations: 1, CacheHits: 1, Generations: 2, Stop: "budget"}, res, d, "runs/x")
	if out := b.String(); !strings.HasPrefix(out, "1 training and 1 cache hit over 2 generations ") {
		t.Errorf("counts of one: want them singular:\n%s", out)
	}

	b.Reset()
	res.Best = res.Best[1:]
	WriteResult(&b, Summary{}, res, d, "runs/x")
	if out := b.String(); !strings.Contains(out, "every candidate failed") || strings.Contains(out, "predict with") {
		t.Errorf("all failed: want the reasons and no predict line:\n%s", out)
	}

	// A front of one member says so in the singular.
	b.Reset()
	one := &search.Result{Best: res.Best, Front: []fitness.Record{{Arch: "8r", Genome: genome.Genome{LR: 0.01, Batch: 32}, Fitness: 0.1, Val: fitness.Scores{Acc: 0.9}, Params: 42}}}
	writeFront(&b, Summary{Objectives: []string{"error", "params"}}, one, d.Task, "runs/x")
	if out := b.String(); !strings.HasPrefix(out, "Pareto front (error, params) of 1 member;") {
		t.Errorf("a front of one member:\n%s", out)
	}

	// A Pareto search whose every candidate failed has no front, so no
	// plot and no best.json: it prints as a search of one objective does.
	b.Reset()
	WriteResult(&b, Summary{Objectives: []string{"error", "params"}}, res, d, "runs/x")
	out = b.String()
	if !strings.Contains(out, "every candidate failed") {
		t.Errorf("Pareto, all failed: want the reasons:\n%s", out)
	}
	for _, absent := range []string{"best.json", "predict with", ParetoFile, "member 0"} {
		if strings.Contains(out, absent) {
			t.Errorf("Pareto, all failed: the output says %q:\n%s", absent, out)
		}
	}
}

func TestTableSummaryWriteText(t *testing.T) {
	sum := &TableSummary{Strategy: "ga", Metric: "val_accuracy", Evaluations: 7, Regret: 0.25, Dir: "runs/t",
		Incumbent: TableIncumbent{Arch: "8r", Genome: genome.Genome{LR: 0.01, Batch: 32}, Observed: 0.75}}
	var b strings.Builder
	sum.WriteText(&b, "nb")
	out := b.String()
	for _, want := range []string{"ga on table nb: 7 evaluations", "regret 0.25", "run directory: runs/t"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Pareto front") {
		t.Errorf("a front printed for a search of one objective:\n%s", out)
	}
}

func TestComparisonSummaryWriteText(t *testing.T) {
	s := &ComparisonSummary{Comparison: &search.Comparison{}, Ranking: []string{"1. small", "2. large"}}
	var b strings.Builder
	s.WriteText(&b)
	if !strings.HasSuffix(b.String(), "1. small\n2. large\n") {
		t.Errorf("the ranking does not end the text:\n%s", b.String())
	}
}

// TestWriteResultVerifiedFirst: with objective.repeats the genomes measured
// every time rank before those measured fewer, whatever their fitness; the
// table says so under it when a lower FITNESS sits below a higher one, and
// says nothing when the order is the fitness's.
func TestWriteResultVerifiedFirst(t *testing.T) {
	d := &dataset.Data{Task: dataset.Multiclass}
	rec := func(arch string, f float64) fitness.Record {
		return fitness.Record{Arch: arch, Genome: genome.Genome{LR: 0.01, Batch: 32}, Fitness: f, Val: fitness.Scores{Acc: 1 - f}, Params: 42, Status: fitness.OK}
	}
	mean := func(f float64, n int) search.Mean {
		return search.Mean{Trainings: n, Val: fitness.Scores{Acc: 1 - f}}
	}
	const note = "(rows trained 4 times rank first, objective.repeats:"
	res := &search.Result{Best: []fitness.Record{rec("a", 0.14), rec("b", 0.098)}, Means: []search.Mean{mean(0.14, 4), mean(0.098, 1)}}
	var b strings.Builder
	WriteResult(&b, Summary{}, res, d, "runs/x")
	if !strings.Contains(b.String(), note) {
		t.Errorf("a verified row above a lower single training, unexplained:\n%s", b.String())
	}
	res.Best[1].Fitness, res.Means[1] = 0.2, mean(0.2, 1)
	b.Reset()
	WriteResult(&b, Summary{}, res, d, "runs/x")
	if strings.Contains(b.String(), note) {
		t.Errorf("rows in fitness order, explained:\n%s", b.String())
	}
}

// TestWriteResultPartial: a hall of fame member that multi-fidelity
// stopped early says so, in the table and in summary.json.
func TestWriteResultPartial(t *testing.T) {
	d := &dataset.Data{Task: dataset.Multiclass}
	rec := fitness.Record{Arch: "8r", Genome: genome.Genome{LR: 0.01, Batch: 32}, Fitness: 0.3, Val: fitness.Scores{Acc: 0.7},
		Params: 42, Epochs: 3, Partial: true, Stopped: "halving: rung 2 of 3, 3 epochs", Status: fitness.OK}
	var b strings.Builder
	WriteResult(&b, Summary{}, &search.Result{Best: []fitness.Record{rec}}, d, "runs/x")
	if out := b.String(); !strings.Contains(out, "0.3000 (stopped early, 3 epochs)") {
		t.Errorf("a partial member unmarked:\n%s", out)
	}
	if c := candidateOf(rec, single(rec), d); c.Stopped != rec.Stopped {
		t.Errorf("summary entry stopped %q, want %q", c.Stopped, rec.Stopped)
	}
}
