// Command replay measures how well a search keeps its workers busy,
// without the machine's load in the way: it runs the search of a run
// directory again with this build, but instead of training each candidate
// it sleeps for the training time the run's log recorded and answers the
// logged record, so the search takes the same path, and reports the wall
// time with each number of workers. Sleeping needs no core, so the ratio
// of wall times is what the schedule (waits for a batch's last training)
// allows, whatever else the machine runs; the lending of idle cores to the
// last trainings (fitness's poolLender) is not part of it.
//
//	go run ./bench/replay -run DIR [-workers 1,2] [-scale 1]
//
// The run must come from a build whose search makes the same decisions as
// this one (same seed, config and search code): a genome the replay asks
// for that the log lacks is an error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/run"
	"github.com/evonas/evonas/search"
)

func main() {
	if err := replay(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(2)
	}
}

// logged answers jobs from a run's log after sleeping their recorded
// training time.
type logged struct {
	recs  map[string]fitness.Record // by key and visit
	scale float64

	mu   sync.Mutex
	work time.Duration // the sleeps, summed
	// The workers' idle time by generation: busy trainings since last, the
	// generation of the last to start.
	workers, busy, gen int
	last               time.Time
	idle               map[int]time.Duration
}

// account adds the idle worker time since the last change of busy.
func (l *logged) account(now time.Time) {
	if !l.last.IsZero() && l.busy < l.workers {
		l.idle[l.gen] += time.Duration(l.workers-l.busy) * now.Sub(l.last)
	}
	l.last = now
}

func at(key string, visit int) string { return key + "#" + strconv.Itoa(visit) }

func (l *logged) Run(ctx context.Context, j fitness.Job) (fitness.Record, error) {
	rec, ok := l.recs[at(j.Key, j.Visit)]
	if !ok {
		return fitness.Record{}, fmt.Errorf("the log has no evaluation %d of %s: it comes from a search that decided otherwise", j.Visit, j.Key)
	}
	d := time.Duration(rec.TrainS * l.scale * float64(time.Second))
	l.mu.Lock()
	l.work += d
	l.account(time.Now())
	l.busy++
	l.gen = j.Generation
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		l.account(time.Now())
		l.busy--
		l.mu.Unlock()
	}()
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return fitness.Record{}, ctx.Err()
	}
	return rec, nil
}

func replay(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	dir := fs.String("run", "", "run directory of an evolve run (its config.yaml and evaluations.jsonl)")
	workers := fs.String("workers", "1,2", "comma-separated worker counts")
	scale := fs.Float64("scale", 1, "multiply every recorded training time by this")
	speculate := fs.Bool("speculate", true, "let idle workers train re-evaluations ahead, as evolve does (fitness.Then); a remote backend cannot")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("-run DIR is required")
	}
	d, err := run.Open(*dir)
	if err != nil {
		return err
	}
	cfg, err := d.Config()
	if err != nil {
		return err
	}
	recs, err := d.Records()
	if err != nil {
		return err
	}
	l := &logged{recs: map[string]fitness.Record{}, scale: *scale}
	var total float64
	for _, r := range recs {
		if r.Status != fitness.Cached {
			l.recs[at(r.Key, r.Visit)] = r
			total += r.TrainS * *scale
		}
	}
	data, err := run.LoadData(cfg.Data.Name, run.DataOptionsOf(cfg))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %d trainings, %.2f s of training recorded (x %g)\n", *dir, len(l.recs), total, *scale)
	fmt.Fprintln(out, "| workers | wall s | trainings | work / (workers x wall) | speed-up over the first | idle worker-s by generation (the last to start a training) | trained ahead: started, used, dropped |")
	fmt.Fprintln(out, "| --- | --- | --- | --- | --- | --- | --- |")
	var first float64
	for _, w := range strings.Split(*workers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(w))
		if err != nil || n < 1 {
			return fmt.Errorf("-workers: %q is not a worker count", w)
		}
		l.work, l.workers, l.busy, l.last, l.idle = 0, n, 0, time.Time{}, map[int]time.Duration{}
		ev := fitness.NewEvaluator(data, run.TrainingOf(cfg), cfg.Seed, n)
		ev.SetBackend(l)
		ev.SetSpeculation(*speculate)
		start := time.Now()
		res, err := search.Evolve(context.Background(), run.SpaceOf(cfg), ev, run.SettingsOf(cfg), nil)
		if err != nil {
			return err
		}
		end := time.Now()
		l.account(end)
		wall := end.Sub(start).Seconds()
		if first == 0 {
			first = wall
		}
		var idle []string
		for g := 0; g <= res.Generations; g++ {
			idle = append(idle, fmt.Sprintf("%.2f", l.idle[g].Seconds()))
		}
		started, used, dropped := ev.SpeculationCounts()
		fmt.Fprintf(out, "| %d | %.3f | %d | %.3f | %.3f | %s | %d, %d, %d |\n", n, wall, res.Trainings, l.work.Seconds()/(float64(n)*wall), first/wall, strings.Join(idle, " "), started, used, dropped)
	}
	return nil
}
