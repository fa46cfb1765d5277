package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/evonas/evonas/dataset"
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
