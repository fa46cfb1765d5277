package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/search"
)

// searchRun is one search (evolution or random) into a run directory.
type searchRun struct {
	cfg         configs.Config
	strategy    string // "ga" or "random"
	evaluations int    // random: trainings to run; 0 for the config's evolution's
	data        *dataset.Data
	dir         string
	saveBest    bool // retrain the best genome and save best.json
	keep        bool // keep the records in memory (for comparisons)
	resume      bool // continue the run in dir, replaying its logs
	start       time.Time
	queue       *queueClient // train through this queue; nil: in this process

	bar      *progressbar.ProgressBar // nil for none
	progress io.Writer                // plain progress lines; nil for none

	records []fitness.Record
}

func workersOf(cfg configs.Config) int {
	if cfg.Workers > 0 {
		return cfg.Workers
	}
	return runtime.NumCPU()
}

// expected is the number of trainings the run will make, about.
func (r *searchRun) expected() int {
	if r.strategy == "random" {
		return r.randomEvaluations()
	}
	s := settingsOf(r.cfg)
	n := s.Population * s.Islands * (s.Generations + 1)
	if s.Budget > 0 && s.Budget < n {
		n = s.Budget
	}
	return n
}

// randomEvaluations is random search's budget: the flag, else the config's
// budget, else what its evolution would spend.
func (r *searchRun) randomEvaluations() int {
	switch {
	case r.evaluations > 0:
		return r.evaluations
	case r.cfg.Budget.Evaluations > 0:
		return r.cfg.Budget.Evaluations
	}
	e := r.cfg.Evolution
	return e.Population * e.Islands * (e.Generations + 1)
}

func newBar(w io.Writer, total int) *progressbar.ProgressBar {
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetItsString("evals"),
		progressbar.OptionThrottle(100*time.Millisecond))
}

// execute runs the search, writing config.yaml, evaluations.jsonl,
// generations.jsonl, summary.json and (with saveBest) best.json.
func (r *searchRun) execute(ctx context.Context) (*summary, *search.Result, error) {
	cfg := r.cfg
	ycfg, err := cfg.YAML()
	if err != nil {
		return nil, nil, err
	}
	if err := model.WriteFileAtomic(filepath.Join(r.dir, "config.yaml"), ycfg); err != nil {
		return nil, nil, err
	}
	d := r.data
	fingerprint := d.Fingerprint()
	log := &runLog{progress: r.progress, bar: r.bar, keep: r.keep, skipEvals: map[string]int{}, skipGens: map[int]bool{}}
	var preload []fitness.Record
	if r.resume {
		if preload, err = r.replayLogs(log, fingerprint); err != nil {
			return nil, nil, err
		}
	}
	flags := os.O_CREATE | os.O_WRONLY | os.O_APPEND
	if !r.resume {
		flags |= os.O_TRUNC
	}
	evals, err := os.OpenFile(filepath.Join(r.dir, "evaluations.jsonl"), flags, 0o644)
	if err != nil {
		return nil, nil, err
	}
	defer evals.Close()
	gens, err := os.OpenFile(filepath.Join(r.dir, "generations.jsonl"), flags, 0o644)
	if err != nil {
		return nil, nil, err
	}
	defer gens.Close()
	log.evals, log.gens = evals, gens
	log.checkpoint = func(st search.State, interrupted bool) error {
		log.mu.Lock()
		n := log.evalLines
		log.mu.Unlock()
		return writeJSON(filepath.Join(r.dir, "checkpoint.json"), checkpoint{
			Version: checkpointVersion, Strategy: r.strategy, Data: fingerprint, Config: string(ycfg), State: st, Logged: n, Time: time.Now().UTC(),
			RNG: "recomputed on resume by replaying the search from the seed", Interrupted: interrupted})
	}
	ev := fitness.NewEvaluator(d, trainingOf(cfg), cfg.Seed, r.queue.pool(cfg.Workers))
	ev.Preload(preload)
	detach, err := r.queue.attach(ctx, ev, r, fingerprint)
	if err != nil {
		return nil, nil, err
	}
	defer detach()
	metric := "val accuracy"
	if d.Task == dataset.Regression {
		metric = "val R²"
	}
	log.metricName = metric
	var res *search.Result
	if r.strategy == "random" {
		res, err = search.Random(ctx, spaceOf(cfg), ev, r.randomEvaluations(), cfg.Evolution.HallOfFame, cfg.Seed, log)
	} else {
		res, err = search.Evolve(ctx, spaceOf(cfg), ev, settingsOf(cfg), log)
	}
	if err != nil {
		if ctx.Err() != nil || isQueueStop(err) {
			if cerr := log.interrupted(); cerr != nil {
				return nil, nil, cerr
			}
			if ctx.Err() == nil {
				return nil, nil, err
			}
			return nil, nil, fmt.Errorf("interrupted: %w", ctx.Err())
		}
		return nil, nil, err
	}
	if log.err != nil {
		return nil, nil, fmt.Errorf("writing the run log: %w", log.err)
	}
	r.records = log.records
	sum := &summary{Strategy: r.strategy, Config: cfg.Name, Data: d.Name, Task: string(d.Task), Seed: cfg.Seed, Workers: ev.Workers(),
		Evaluations: res.Trainings, CacheHits: res.CacheHits, Generations: res.Generations, Stop: res.Stop,
		TrainSamples: res.Samples, Dir: r.dir}
	for _, rec := range res.Best {
		sum.HallOfFame = append(sum.HallOfFame, bestOf(rec, d.Task))
	}
	if len(res.Best) > 0 {
		sum.Best = sum.HallOfFame[0]
		if r.saveBest {
			if err := saveBest(ctx, ev, res.Best[0], filepath.Join(r.dir, "best.json")); err != nil {
				return nil, nil, err
			}
		}
	}
	sum.WallS = time.Since(r.start).Seconds()
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	if err := model.WriteFileAtomic(filepath.Join(r.dir, "summary.json"), append(b, '\n')); err != nil {
		return nil, nil, err
	}
	return sum, res, nil
}

// saveBest retrains the best genome with its recorded seed (the same
// training it had in the search) and saves the model.
func saveBest(ctx context.Context, ev *fitness.Evaluator, best fitness.Record, path string) error {
	if best.Status != fitness.OK && best.Status != fitness.Cached {
		return nil
	}
	// The evaluator kept the best net it trained; a resumed or distributed
	// run retrains it with its recorded seed, which gives the same net.
	info := map[string]any{"command": "evolve", "record": best}
	net := ev.TrainedNet(best.Key)
	if net == nil {
		r, o, err := ev.Retrain(ctx, best)
		if err != nil {
			return err
		}
		if o == nil {
			return fmt.Errorf("retraining the best genome: %s", r.Reason)
		}
		if r.Fitness != best.Fitness {
			// A remote worker on another CPU (the AVX2 kernels or gonum's
			// BLAS) rounds differently: the model saved is this machine's,
			// and its file says so.
			info["retrained"] = r
			info["note"] = fmt.Sprintf("retrained here, fitness %v; the search recorded %v", r.Fitness, best.Fitness)
		}
		net = o.Net
	}
	d := ev.Data()
	m, err := model.New(d.Name, d.Prep, net, info)
	if err != nil {
		return err
	}
	return m.Save(path)
}

// replayLogs prepares a resumed run: it checks the checkpoint against the
// config and the data, reads the logs (dropping a torn last line), and
// tells log which events are already written. It returns the logged
// evaluations, which the evaluator answers from instead of training.
func (r *searchRun) replayLogs(log *runLog, fingerprint string) ([]fitness.Record, error) {
	cp, err := readCheckpoint(r.dir)
	if err != nil {
		return nil, err
	}
	if cp != nil {
		if cp.Data != fingerprint {
			return nil, usagef("%s: the data differ from the run's (fingerprint %s, now %s): resume needs the same data", r.dir, short(cp.Data), short(fingerprint))
		}
		if cp.Config != "" {
			was, err := configs.Parse([]byte(cp.Config), filepath.Join(r.dir, "checkpoint.json"))
			if err != nil {
				return nil, err
			}
			if err := sameMeaning(was, r.cfg); err != nil {
				return nil, usagef("%s: %v", r.dir, err)
			}
		}
	}
	recs, err := loadEvaluations(r.dir)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		log.skipEvals[eventKey(rec)]++
	}
	log.evalLines = len(recs)
	_, err = readLog(filepath.Join(r.dir, "generations.jsonl"), func(b []byte) error {
		var g struct {
			Generation *int `json:"generation"`
		}
		if err := json.Unmarshal(b, &g); err != nil {
			return err
		}
		if g.Generation == nil {
			return fmt.Errorf("generation line without a generation")
		}
		log.skipGens[*g.Generation] = true
		return nil
	})
	return recs, err
}

func short(fp string) string {
	if len(fp) > 19 {
		return fp[:19]
	}
	return fp
}
