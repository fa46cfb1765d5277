package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/queue"
	"github.com/evonas/evonas/search"
	"go.yaml.in/yaml/v3"
)

// Search is one search, evolution or random, into a run directory. New
// prepares a new one and Reopen one to resume; Create makes a new one's
// directory; Run runs it.
type Search struct {
	Config      configs.Config
	Strategy    string // GA or Random
	Evaluations int    // random: trainings to run; 0 for the config's budget
	Data        *dataset.Data
	Dir         string
	Resume      bool      // continue the run in Dir, replaying its logs
	Start       time.Time // the summary's wall time counts from it; zero: from Run
	SkipBest    bool      // neither retrain the best genome nor write best.json

	Queue    *Queue   // train through this queue; nil: in this process
	Observer Observer // progress; nil for none

	keep    bool   // keep the records in memory (for comparisons)
	madeBy  string // a resumed run's: the evonas that started it (Info.Evonas)
	records []fitness.Record
	winner  string // with objective.folds: the genome the search named, for a comparison's result
}

// checkFolds refuses cross-validation folds that cannot be made: through
// a queue (its workers train on the data's own split), or with fewer
// training rows than folds - 1.
func checkFolds(cfg configs.Config, d *dataset.Data, q *Queue) error {
	k := cfg.Objective.Folds
	if k < 2 {
		return nil
	}
	if q != nil {
		return inputf("objective.folds: cross-validation folds need trainings in this process, not through a queue; set folds to 0 or train without --queue")
	}
	if d != nil && d.Train.N < k-1 {
		return inputf("objective.folds: %d folds need at least %d training rows, data %s has %d", k, k-1, d.Name, d.Train.N)
	}
	return nil
}

// MetricName names the validation metric a search of cfg on data of task
// judges its trainings by: accuracy, balanced accuracy (objective.metric:
// balanced) or R².
func MetricName(cfg configs.Config, task dataset.Task) string {
	return fitness.Scores{Balanced: cfg.Objective.Metric == fitness.BalancedMetric}.MetricName(task)
}

// checkMetric refuses balanced accuracy for a regression, whose task the
// config may leave to be inferred from the data (config validation refuses
// data.task: regression).
func checkMetric(cfg configs.Config, d *dataset.Data) error {
	if cfg.Objective.Metric == fitness.BalancedMetric && d != nil && d.Task == dataset.Regression {
		return inputf("objective.metric: balanced accuracy needs classification, but %s is a regression (target %q); use metric (1 - R²) or loss, or data.task to read the target as classes", cfg.Data.Name, d.Prep.Target)
	}
	return nil
}

// New prepares a search of cfg, which it validates, with a strategy, GA or
// Random (any other is an error), into dir, by default runs/<time>-<config name>[-random].
// evaluations is a random search's budget (0: the config's). It loads the
// data, so that bad data fail before any directory exists.
func New(cfg configs.Config, strategy string, evaluations int, dir string) (*Search, error) {
	if strategy != GA && strategy != Random {
		return nil, fmt.Errorf("run: unknown strategy %q (want %q or %q)", strategy, GA, Random)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	if dir == "" {
		name := cfg.Name
		if strategy == Random {
			name += "-random"
		}
		dir = filepath.Join("runs", start.Format("20060102-150405")+"-"+name)
	}
	d, err := LoadData(cfg.Data.Name, DataOptionsOf(cfg))
	if err != nil {
		return nil, err
	}
	if err := checkFolds(cfg, d, nil); err != nil {
		return nil, err
	}
	if err := checkMetric(cfg, d); err != nil {
		return nil, err
	}
	return &Search{Config: cfg, Strategy: strategy, Evaluations: evaluations, Data: d, Dir: dir, Start: start}, nil
}

// Create makes a new search's directory, refusing one that holds a run,
// and writes run.json with the command line that started it.
func (s *Search) Create(command string) error {
	if err := prepareRunDir(s.Dir); err != nil {
		return err
	}
	kind := map[string]string{GA: KindEvolve, Random: KindRandom}[s.Strategy]
	ycfg, err := s.Config.YAML()
	if err != nil {
		return err
	}
	return writeJSON(filepath.Join(s.Dir, InfoFile), Info{Version: InfoVersion, Kind: kind, Strategy: s.Strategy,
		Evaluations: s.Evaluations, Data: s.Data.Fingerprint(), Command: command, Config: string(ycfg), Evonas: Version})
}

// ReadConfig reads a search directory's config.yaml.
func ReadConfig(dir string) (configs.Config, error) {
	path := filepath.Join(dir, ConfigFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return configs.Config{}, err
	}
	return parseSaved(data, path)
}

// parseSaved parses a config a run saved. Runs from before
// training.precision existed trained in float64: a saved config without
// the key keeps meaning float64, not today's default.
func parseSaved(data []byte, file string) (configs.Config, error) {
	cfg, err := configs.Parse(data, file)
	if err != nil {
		return cfg, err
	}
	var raw struct {
		Training map[string]any `yaml:"training"`
	}
	if yaml.Unmarshal(data, &raw) == nil {
		if _, ok := raw.Training["precision"]; !ok {
			cfg.Training.Precision = "float64"
		}
	}
	return cfg, nil
}

// Reopen prepares the resume of the search in dir with cfg: its
// config.yaml, changed at most in the Resumable keys, which it validates.
// evaluations is a random search's new budget, 0 to keep the run's. It
// checks that neither the config's meaning nor the data changed since the
// run started.
func Reopen(dir string, cfg configs.Config, evaluations int) (*Search, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ri, err := ReadInfo(dir)
	if err != nil {
		return nil, err
	}
	if ri.Kind != KindEvolve && ri.Kind != KindRandom {
		return nil, inputf("%s: unknown kind of run %q", filepath.Join(dir, InfoFile), ri.Kind)
	}
	// A search still running there is refused now, before the resume says
	// it resumes; Run takes the lock for good.
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	unlock()
	// run.json holds the config the run started with: a config.yaml
	// edited since (before the first checkpoint, too) is caught here.
	if ri.Config != "" {
		was, err := parseSaved([]byte(ri.Config), filepath.Join(dir, InfoFile))
		if err != nil {
			return nil, err
		}
		if err := sameMeaning(was, cfg); err != nil {
			return nil, inputf("%s: %v", dir, err)
		}
	}
	// The run's files are read again when it runs; a bad line or
	// checkpoint is an error now, before the run says it resumes.
	recs, err := readEvaluations(dir, false)
	if err != nil {
		return nil, err
	}
	if _, err := ReadCheckpoint(dir); err != nil {
		return nil, err
	}
	if evaluations == 0 {
		evaluations = ri.Evaluations
	}
	if ri.Strategy == GA {
		err = checkExtends(dir, cfg)
	} else {
		err = checkRandomExtends(dir, recs, RandomEvaluations(cfg, evaluations))
	}
	if err != nil {
		return nil, err
	}
	d, err := LoadData(cfg.Data.Name, DataOptionsOf(cfg))
	if err != nil {
		return nil, err
	}
	if ri.Data != "" && ri.Data != d.Fingerprint() {
		return nil, inputf("%s: the data differ from the run's (fingerprint %s, now %s): resume needs the same data", dir, short(ri.Data), short(d.Fingerprint()))
	}
	return &Search{Config: cfg, Strategy: ri.Strategy, Evaluations: evaluations, Data: d, Dir: dir, Resume: true, Start: time.Now(), madeBy: ri.Evonas}, nil
}

// checkExtends refuses a resume whose evolution.generations or
// budget.evaluations would stop the replay before the generations the run
// has already logged: it would write a shorter run's summary.json and
// best.json over the longer run's, its logs still holding the rest. The
// budget is checked between generations, so it stops the replay after the
// first generation whose trainings reach it.
func checkExtends(dir string, cfg configs.Config) error {
	gens, err := readGenerations(dir, false)
	if err != nil || len(gens) == 0 {
		return err
	}
	last := 0
	for _, g := range gens {
		last = max(last, g.Generation)
	}
	const again = "a resume can only continue or extend a run (start a new run for a shorter one)"
	if g := cfg.Evolution.Generations; g < last {
		return inputf("%s: the run has already run %d generations; evolution.generations %d would end it sooner and replace its result with a shorter run's: %s", dir, last, g, again)
	}
	if b := cfg.Budget.Evaluations; b > 0 {
		for _, g := range gens {
			if g.Generation < last && g.Evaluations >= b {
				return inputf("%s: the run has already run %d generations; budget.evaluations %d, reached at generation %d (%d trainings), would end it sooner and replace its result with a shorter run's: %s", dir, last, b, g.Generation, g.Evaluations, again)
			}
		}
	}
	// The early stops, from each generation's best fitness so far, as the
	// search decides them (a generation improves when its best is below
	// the best before it).
	best, since := math.Inf(1), 0
	for _, g := range gens {
		if g.Generation >= last {
			break
		}
		if g.BestSoFar < best {
			best, since = g.BestSoFar, 0
		} else {
			since++
		}
		if t := cfg.Stop.TargetFitness; t != nil && best <= *t {
			return inputf("%s: the run has already run %d generations; stop.target_fitness %g, reached at generation %d (best fitness %g), would end it sooner and replace its result with a shorter run's: %s", dir, last, *t, g.Generation, best, again)
		}
		if n := cfg.Stop.NoImprovement; n > 0 && since >= n {
			return inputf("%s: the run has already run %d generations; stop.no_improvement %d, reached at generation %d, would end it sooner and replace its result with a shorter run's: %s", dir, last, n, g.Generation, again)
		}
	}
	return nil
}

// checkRandomExtends refuses a resume of a random search whose trainings,
// n, are fewer than those already logged: the replay would stop at n and
// write a shorter run's summary.json and best.json over the longer run's.
func checkRandomExtends(dir string, recs []fitness.Record, n int) error {
	trained := 0
	for _, r := range recs {
		if r.Status != fitness.Cached {
			trained++
		}
	}
	if n < trained {
		return inputf("%s: the run has already made %d trainings; %d would end it sooner and replace its result with a shorter run's: a resume can only continue or extend a run (start a new run for a shorter one)", dir, trained, n)
	}
	return nil
}

// Expected is the number of trainings the search will make, about.
func (s *Search) Expected() int {
	if s.Strategy == Random {
		return RandomEvaluations(s.Config, s.Evaluations)
	}
	st := SettingsOf(s.Config)
	n := st.Population * st.Islands * (st.Generations + 1)
	if st.Budget > 0 && st.Budget < n {
		n = st.Budget
	}
	return n
}

// Run runs the search, writing config.yaml, evaluations.jsonl,
// generations.jsonl, checkpoint.json, summary.json and best.json into its
// directory, which must exist (Create makes a new search's). A
// cancelled ctx stops it with an error that wraps ctx.Err(), after a
// checkpoint marked interrupted.
func (s *Search) Run(ctx context.Context) (*Summary, *search.Result, error) {
	if s.Start.IsZero() {
		s.Start = time.Now()
	}
	cfg := s.Config
	if err := checkFolds(cfg, s.Data, s.Queue); err != nil {
		return nil, nil, err
	}
	if _, err := os.Stat(s.Dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("run: %s does not exist: Create makes a new search's directory", s.Dir)
	}
	unlock, err := lockDir(s.Dir)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	ycfg, err := cfg.YAML()
	if err != nil {
		return nil, nil, err
	}
	var was *snapshot
	if s.Resume {
		if was, err = takeSnapshot(s.Dir); err != nil {
			return nil, nil, err
		}
	}
	if err := model.WriteFileAtomic(filepath.Join(s.Dir, ConfigFile), ycfg); err != nil {
		return nil, nil, err
	}
	d := s.Data
	fingerprint := d.Fingerprint()
	log := &runLog{display: s.Observer, keep: s.keep, skipEvals: map[string]int{}, skipGens: map[int]bool{}}
	var preload []fitness.Record
	if s.Resume {
		if preload, err = s.replayLogs(log, fingerprint); err != nil {
			return nil, nil, err
		}
		if err := was.sizeLogs(s.Dir); err != nil {
			return nil, nil, err
		}
		if cfg.Evolution.Model != search.AsyncModel || s.Strategy == Random {
			// The asynchronous model's proposals depend on the order its
			// trainings end, so its replay is not checked.
			for g := range log.skipGens {
				log.checkBefore = max(log.checkBefore, g)
			}
		}
	}
	flags := os.O_CREATE | os.O_WRONLY | os.O_APPEND
	if !s.Resume {
		flags |= os.O_TRUNC
	}
	evals, err := os.OpenFile(filepath.Join(s.Dir, EvaluationsFile), flags, 0o644)
	if err != nil {
		return nil, nil, err
	}
	defer evals.Close()
	gens, err := os.OpenFile(filepath.Join(s.Dir, GenerationsFile), flags, 0o644)
	if err != nil {
		return nil, nil, err
	}
	defer gens.Close()
	log.evals, log.gens = evals, gens
	log.checkpoint = func(st search.State, interrupted bool) error {
		log.mu.Lock()
		n := log.evalLines
		log.mu.Unlock()
		return writeJSON(filepath.Join(s.Dir, CheckpointFile), Checkpoint{
			Version: CheckpointVersion, Strategy: s.Strategy, Data: fingerprint, Config: string(ycfg), State: st, Logged: n, Time: time.Now().UTC(),
			RNG: "recomputed on resume by replaying the search from the seed", Interrupted: interrupted})
	}
	// A write that fails (a full disk) stops the search: see runLog.fail.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	log.stop = stop
	ev := fitness.NewEvaluator(d, TrainingOf(cfg), cfg.Seed, s.Queue.pool(cfg.Workers))
	ev.Preload(preload)
	detach, err := s.Queue.attach(ctx, ev, s, fingerprint)
	if err != nil {
		return nil, nil, err
	}
	defer detach()
	var res *search.Result
	if s.Strategy == Random {
		// The config's noise handling too (re-evaluations, their folds,
		// the final re-check): a comparison's random search is judged as
		// its evolution is.
		res, err = search.RandomNoise(ctx, SpaceOf(cfg), ev, RandomEvaluations(cfg, s.Evaluations), cfg.Evolution.HallOfFame, cfg.Seed, SettingsOf(cfg).Noise, log, cfg.Objective.Minimize...)
	} else {
		res, err = search.Evolve(ctx, SpaceOf(cfg), ev, SettingsOf(cfg), log)
	}
	if r := log.divergence(); r != nil {
		// Nothing of the replay is kept: the directory is the run as the
		// evonas that made it left it.
		if rerr := was.restore(s.Dir); rerr != nil {
			return nil, nil, rerr
		}
		return nil, nil, s.divergedError(*r)
	}
	if lerr := log.failure(); lerr != nil {
		// What was logged before the failure resumes; the stop's
		// checkpoint says so if it can be written (the disk may be full).
		log.interrupted()
		return nil, nil, &writeError{"writing the run log", lerr}
	}
	if err != nil {
		var stop *queue.StopError
		if ctx.Err() != nil || errors.As(err, &stop) {
			// Stopped by a signal, or by the queue (its server gone, a job
			// no worker can run): the checkpoint says so, for a resume.
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
	s.records = log.records
	if cfg.Objective.Repeats > 1 && len(res.Best) > 0 {
		// Judged by the genome it names, on the mean of the same trainings,
		// not by its luckiest single training (a comparison's result).
		s.winner = res.Best[0].Key
	}
	sum := &Summary{Strategy: s.Strategy, Config: cfg.Name, Data: d.Name, Task: string(d.Task), Seed: Seed(cfg.Seed), Workers: s.workers(),
		Evaluations: res.Trainings, CacheHits: res.CacheHits, Generations: res.Generations, Stop: res.Stop,
		TrainSamples: res.Samples, Dir: s.Dir}
	for i, rec := range res.Best {
		sum.HallOfFame = append(sum.HallOfFame, candidateOf(rec, res.Means[i], d))
	}
	best := res.Best
	if len(cfg.Objective.Minimize) > 1 {
		// A Pareto search's result is its front; best.json is its most
		// accurate member.
		if best, err = s.pareto(sum, res, d); err != nil {
			return nil, nil, err
		}
	}
	if len(best) > 0 {
		m := single(best[0])
		if len(cfg.Objective.Minimize) <= 1 {
			m = res.Means[0]
		}
		sum.Best = candidateOf(best[0], m, d)
		if !s.SkipBest {
			if err := saveBest(ctx, ev, best[0], s.command(), filepath.Join(s.Dir, BestFile)); err != nil {
				return nil, nil, err
			}
		}
	}
	sum.WallS = time.Since(s.Start).Seconds()
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	if err := model.WriteFileAtomic(filepath.Join(s.Dir, SummaryFile), append(b, '\n')); err != nil {
		return nil, nil, &writeError{err: err}
	}
	return sum, res, nil
}

// command is the evonas command that runs the search: evolve or random.
func (s *Search) command() string {
	if s.Strategy == Random {
		return KindRandom
	}
	return KindEvolve
}

// saveBest retrains the best genome with its recorded seed (the same
// training it had in the search) and saves the model, its info naming
// the command that ran the search.
func saveBest(ctx context.Context, ev *fitness.Evaluator, best fitness.Record, command, path string) error {
	if best.Status != fitness.OK && best.Status != fitness.Cached {
		return nil
	}
	m, err := trainedModel(ctx, ev, best, map[string]any{"command": command, "record": best})
	if err != nil {
		return err
	}
	if err := m.Save(path); err != nil {
		return &writeError{err: err} // resumable: the resume writes it
	}
	return nil
}

// trainedModel is the model of a record's genome: the net the evaluator
// kept if it is this one, or the genome retrained with its recorded seed
// (the same training it had in the search), with info in the model file.
func trainedModel(ctx context.Context, ev *fitness.Evaluator, best fitness.Record, info map[string]any) (*model.Model, error) {
	// The evaluator kept the best net it trained; a resumed or distributed
	// run retrains it with its recorded seed, which gives the same net.
	net := ev.TrainedNet(best.Key)
	if net == nil {
		r, o, err := ev.Retrain(ctx, best)
		if err != nil {
			return nil, err
		}
		if o == nil {
			return nil, fmt.Errorf("retraining the best genome: %s", r.Reason)
		}
		// Like for like: the retraining against the one training it
		// repeats, not against best.Fitness, which a search with
		// objective.repeats makes the mean of several trainings.
		if was := ev.TrainingFitness(best); r.Fitness != was || r.Test != best.Test {
			// A remote worker on another CPU (the AVX2 kernels or gonum's
			// BLAS) rounds differently: the model saved is this machine's,
			// and its file says so.
			info["retrained"] = r
			info["note"] = fmt.Sprintf("retrained here, fitness %v (test %v); the search's training of it gave %v (test %v)",
				r.Fitness, r.Test.Metric(ev.Data().Task), was, best.Test.Metric(ev.Data().Task))
		}
		net = o.Net
	}
	d := ev.Data()
	return model.New(d.Name, d.Prep, net, info)
}

// replayLogs prepares a resumed run: it checks the checkpoint against the
// config and the data, reads the logs (cutting a torn last line), and
// tells log which events are already written. It returns the logged
// evaluations, which the evaluator answers from instead of training.
func (s *Search) replayLogs(log *runLog, fingerprint string) ([]fitness.Record, error) {
	cp, err := ReadCheckpoint(s.Dir)
	if err != nil {
		return nil, err
	}
	if cp != nil {
		if cp.Data != fingerprint {
			return nil, inputf("%s: the data differ from the run's (fingerprint %s, now %s): resume needs the same data", s.Dir, short(cp.Data), short(fingerprint))
		}
		if cp.Config != "" {
			was, err := parseSaved([]byte(cp.Config), filepath.Join(s.Dir, CheckpointFile))
			if err != nil {
				return nil, err
			}
			if err := sameMeaning(was, s.Config); err != nil {
				return nil, inputf("%s: %v", s.Dir, err)
			}
		}
	}
	recs, err := readEvaluations(s.Dir, true)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		log.skipEvals[eventKey(rec)]++
	}
	log.evalLines = len(recs)
	gens, err := readGenerations(s.Dir, true)
	for _, g := range gens {
		log.skipGens[g.Generation] = true
	}
	return recs, err
}

func short(fp string) string {
	if len(fp) > 19 {
		return fp[:19]
	}
	return fp
}

// divergedError refuses to resume a run whose replay from its seed
// proposes an evaluation its logs do not hold where they should (r): the
// run was made by an evonas whose search differs, and continuing it would
// mix two searches' evaluations in one run.
func (s *Search) divergedError(r fitness.Record) error {
	by := "an earlier evonas (its run.json names no version)"
	if s.madeBy != "" {
		by = "evonas " + s.madeBy
	}
	now := Version
	if now == "" {
		now = "unknown"
	}
	return inputf("%s: the run was made by %s, whose search differs from this evonas's (%s): replayed from its seed, generation %d proposes %s, which its evaluations.jsonl does not hold; resume it with the evonas that started it, or start a new run (nothing in the run was changed)", s.Dir, by, now, r.Generation, r.Key)
}

// snapshot is what a resume may rewrite of a run directory before its
// replay can tell whether the run's search is this evonas's: the small
// files' contents and the logs' lengths.
type snapshot struct {
	files      map[string][]byte // nil: the file was not there
	evals, gen int64
}

func takeSnapshot(dir string) (*snapshot, error) {
	s := &snapshot{files: map[string][]byte{}}
	for _, f := range []string{ConfigFile, CheckpointFile} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		s.files[f] = b
	}
	return s, nil
}

// sizeLogs records the logs' lengths once a torn last line is cut.
func (s *snapshot) sizeLogs(dir string) error {
	for _, f := range []struct {
		name string
		n    *int64
	}{{EvaluationsFile, &s.evals}, {GenerationsFile, &s.gen}} {
		fi, err := os.Stat(filepath.Join(dir, f.name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err == nil {
			*f.n = fi.Size()
		}
	}
	return nil
}

// restore puts the directory back as the snapshot found it: the logs cut
// to their lengths, the small files rewritten (or removed).
func (s *snapshot) restore(dir string) error {
	for name, n := range map[string]int64{EvaluationsFile: s.evals, GenerationsFile: s.gen} {
		if err := os.Truncate(filepath.Join(dir, name), n); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	for name, b := range s.files {
		path := filepath.Join(dir, name)
		if b == nil {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			continue
		}
		if err := model.WriteFileAtomic(path, b); err != nil {
			return err
		}
	}
	return nil
}
