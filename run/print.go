package run

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/search"
)

// Heading is the line a command shows as a search starts: what it runs on
// what, with how many workers, and where its directory is.
func (s *Search) Heading() string {
	verb := map[string]string{GA: "evolving", Random: "random search"}[s.Strategy]
	if s.Resume {
		verb = "resuming " + verb
	}
	d := s.Data
	with := "with " + count(s.workers(), "worker")
	if s.Queue != nil {
		with = "through the queue (" + count(s.workers(), "local worker slot") + ")"
	}
	return fmt.Sprintf("%s on %s (%s, %d train rows) %s; run directory %s", verb, d.Name, d.Task, d.Train.N, with, s.Dir)
}

// workers is how many trainings the search runs at once in this process:
// its config's workers, or with a queue its local worker slots (jobs go to
// the queue's workers besides).
func (s *Search) workers() int {
	if s.Queue != nil {
		return s.Queue.Slots()
	}
	return Workers(s.Config)
}

// count is n and the noun, plural but for n = 1: "1 worker", "2 workers".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Notes are the search's notes on its data and on batch sizes larger than
// its training rows (BatchNotes).
func (s *Search) Notes() []string {
	return slices.Concat(s.Data.Notes, BatchNotes(s.Config, s.Data.Train.N))
}

// WriteResult prints a finished search as evonas evolve does: its counts,
// a table of the best architectures (or the Pareto front of a search of
// several objectives), the run directory's files and how to predict with
// the best. A failed candidate shows as "failed", and a score of an empty
// split as a dash. With objective.repeats, a row's scores are the means of
// the trainings its fitness is the mean of, and a TRAININGS column says
// how many.
func WriteResult(w io.Writer, sum Summary, res *search.Result, d *dataset.Data, dir string) {
	task := d.Task
	fmt.Fprintf(w, "%s and %s over %s in %.1f s; stopped: %s\n",
		count(sum.Evaluations, "training"), count(sum.CacheHits, "cache hit"), count(sum.Generations, "generation"), sum.WallS, sum.Stop)
	if len(sum.Objectives) > 1 && len(res.Front) > 0 {
		writeFront(w, sum, res, task, dir)
		return
	}
	// A single objective, or a Pareto search whose every candidate failed
	// (an empty front, no plot, no best.json): its best ranked, failed.
	// With objective.repeats a row's fitness is the mean of the genome's
	// trainings, and so are its scores; TRAININGS says how many.
	means := make([]search.Mean, len(res.Best))
	repeated := false
	for i, r := range res.Best {
		means[i] = single(r)
		if i < len(res.Means) {
			means[i] = res.Means[i]
		}
		repeated = repeated || means[i].Trainings > 1
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	col := report.MetricColumn(fitness.MetricNameOf(task, res.Best))
	head := fmt.Sprintf("RANK\tARCHITECTURE\tLR\tBATCH\tPARAMS\tVAL %s\tTEST %s\tFITNESS", col, col)
	if repeated {
		head += "\tTRAININGS"
	}
	fmt.Fprintln(tw, head)
	for i, r := range res.Best {
		m := means[i]
		v, t := m.Val.Metric(task), m.Test.Metric(task)
		// A failed candidate has no scores, nor has an empty split: a dash,
		// not a score of 0.
		fit, val, test := "failed", "-", "-"
		if !math.IsInf(r.Fitness, 0) {
			fit = strconv.FormatFloat(r.Fitness, 'f', 4, 64)
			val = strconv.FormatFloat(v, 'f', 4, 64)
			if d.Test.N > 0 {
				test = strconv.FormatFloat(t, 'f', 4, 64)
			}
			if r.Partial {
				// Ranked after every candidate trained in full.
				fit += fmt.Sprintf(" (stopped early, %s)", count(r.Epochs, "epoch"))
			}
		}
		row := fmt.Sprintf("%d\t%s\t%.3g\t%d\t%d\t%s\t%s\t%s", i+1, r.Arch, r.Genome.LR, r.Genome.Batch, r.Params, val, test, fit)
		if repeated {
			row += fmt.Sprintf("\t%d", m.Trainings)
		}
		fmt.Fprintln(tw, row)
	}
	tw.Flush()
	if repeated && !fitnessOrder(res.Best) {
		// The verified rank first (search: a genome measured repeats times
		// before one measured fewer); without a word the order reads as
		// a mistake.
		fmt.Fprintf(w, "(rows trained %d times rank first, objective.repeats: one training's FITNESS may be luck, so a lower one further down is not a better net)\n", means[0].Trainings)
	}
	if len(res.Best) == 0 || math.IsInf(res.Best[0].Fitness, 0) {
		// Nothing trained: no best.json, and the reasons are what to read.
		reason := ""
		if len(res.Best) > 0 {
			reason = fmt.Sprintf(" (the best ranked: %s %s)", res.Best[0].Status, res.Best[0].Reason)
		}
		fmt.Fprintf(w, "every candidate failed%s; evaluations.jsonl gives each one's reason\n", reason)
		fmt.Fprintf(w, "run directory: %s (summary.json, evaluations.jsonl, generations.jsonl, config.yaml, run.json, checkpoint.json)\n", dir)
		return
	}
	fmt.Fprintf(w, "run directory: %s (best.json, summary.json, evaluations.jsonl, generations.jsonl, config.yaml, run.json, checkpoint.json)\n", dir)
	fmt.Fprintf(w, "predict with: evonas predict --model %s --data FILE.csv\n", ShellQuote(filepath.Join(dir, "best.json")))
}

// fitnessOrder reports whether recs run from the lowest fitness to the
// highest.
func fitnessOrder(recs []fitness.Record) bool {
	for i := 1; i < len(recs); i++ {
		if recs[i].Fitness < recs[i-1].Fitness {
			return false
		}
	}
	return true
}

// writeFront is the result of a Pareto search: its front, the most
// accurate member first, and how to use another member.
func writeFront(w io.Writer, sum Summary, res *search.Result, task dataset.Task, dir string) {
	fmt.Fprintf(w, "Pareto front (%s) of %s; best.json is member 0, the most accurate:\n", strings.Join(sum.Objectives, ", "), count(len(res.Front), "member"))
	report.FrontTable(w, res.Front, sum.Objectives, task)
	fmt.Fprintf(w, "run directory: %s (%s, %s, best.json, summary.json with the front, evaluations.jsonl, ...)\n", dir, ParetoFile, ParetoSVGFile)
	fmt.Fprintf(w, "predict with: evonas predict --model %s --data FILE.csv (another member: --model %s --member N)\n", ShellQuote(filepath.Join(dir, BestFile)), ShellQuote(dir))
}

// WriteText prints a finished table run as evonas evolve --table does:
// its incumbent and regret, the Pareto front of a search of several
// objectives, and the run directory. name is the table's.
func (sum *TableSummary) WriteText(w io.Writer, name string) {
	inc := sum.Incumbent
	fmt.Fprintf(w, "%s on table %s: %d evaluations in %.2f s\n", sum.Strategy, name, sum.Evaluations, sum.WallS)
	fmt.Fprintf(w, "incumbent %s (lr %g, batch %d): %s observed %.6g, mean %.6g; best mean %.6g; regret %.6g\n",
		inc.Arch, inc.Genome.LR, inc.Genome.Batch, sum.Metric, inc.Observed, inc.Mean, sum.BestMean, sum.Regret)
	if len(sum.Front) > 0 {
		sum.writeFront(w)
	}
	fmt.Fprintf(w, "run directory: %s\n", sum.Dir)
}

// writeFront is the front of a Pareto search on a table: each member's
// error (the fitness: the metric as observed, or 1 - it for an accuracy)
// and sizes.
func (sum *TableSummary) writeFront(w io.Writer) {
	fmt.Fprintf(w, "Pareto front (%s) of %s, the most accurate first (error: the fitness from %s as observed):\n", strings.Join(sum.Objectives, ", "), count(len(sum.Front), "member"), sum.Metric)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MEMBER\tERROR\tPARAMS\tFLOPS\tARCHITECTURE\tLR\tBATCH")
	for _, m := range sum.Front {
		g, _ := m.Genome.(genome.Genome) // as the run made it
		fmt.Fprintf(tw, "%d\t%.6g\t%d\t%d\t%s\t%g\t%d\n", m.Index, m.Objectives["error"], m.Params, m.FLOPs, m.Arch, g.LR, g.Batch)
	}
	tw.Flush()
	fmt.Fprintf(w, "plot: %s\n", filepath.Join(sum.Dir, ParetoFile))
}

// WriteText prints the comparison's table and, for a sweep, its ranking,
// as evonas compare and sweep do.
func (s *ComparisonSummary) WriteText(w io.Writer) {
	report.Table(w, s.Comparison)
	for _, r := range s.Ranking {
		fmt.Fprintln(w, r)
	}
}

// WriteText prints a table comparison's regret table and, for searches of
// several objectives, its hypervolumes.
func (s *TableComparisonSummary) WriteText(w io.Writer) {
	report.TableText(w, s.Comparison)
	if s.Pareto != nil {
		report.HypervolumeText(w, s.Pareto)
	}
}
