package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/run"
	"github.com/evonas/evonas/search"
)

// printFront is the result of a Pareto search: its front, the most
// accurate member first, and how to use another member.
func printFront(w io.Writer, sum run.Summary, res *search.Result, task dataset.Task, dir string) {
	fmt.Fprintf(w, "Pareto front (%s) of %d members; best.json is member 0, the most accurate:\n", strings.Join(sum.Objectives, ", "), len(res.Front))
	report.FrontTable(w, res.Front, sum.Objectives, task)
	fmt.Fprintf(w, "run directory: %s (%s, %s, best.json, summary.json with the front, evaluations.jsonl, ...)\n", dir, run.ParetoFile, run.ParetoSVGFile)
	fmt.Fprintf(w, "predict with: evonas predict --model %s --data FILE.csv (another member: --model %s --member N)\n", filepath.Join(dir, run.BestFile), dir)
}

// printTableFront is the front of a Pareto search on a table: each
// member's error (the fitness: the metric as observed, or 1 - it for an
// accuracy) and sizes.
func printTableFront(w io.Writer, sum *run.TableSummary, metric string) {
	fmt.Fprintf(w, "Pareto front (%s) of %d members, the most accurate first (error: the fitness from %s as observed):\n", strings.Join(sum.Objectives, ", "), len(sum.Front), metric)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MEMBER\tERROR\tPARAMS\tFLOPS\tARCHITECTURE\tLR\tBATCH")
	for _, m := range sum.Front {
		g, _ := m.Genome.(genome.Genome) // as the run made it
		fmt.Fprintf(tw, "%d\t%.6g\t%d\t%d\t%s\t%g\t%d\n", m.Index, m.Objectives["error"], m.Params, m.FLOPs, m.Arch, g.LR, g.Batch)
	}
	tw.Flush()
	fmt.Fprintf(w, "plot: %s\n", filepath.Join(sum.Dir, run.ParetoFile))
}
