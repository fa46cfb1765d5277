// Package run owns an evonas run directory end to end: it creates one from
// a config and data, writes its files as the search goes, reads one back
// (finished, interrupted or still being written), resumes one, and runs a
// comparison or a sweep as a set of runs. The commands of cmd/evonas and
// any other reader (a dashboard, an export) go through it.
//
// # The run directory
//
// The formats of all its files are defined in files.go. A search (evonas
// evolve or random) writes:
//
//   - run.json ([Info]): what the directory holds (its kind, strategy, data
//     fingerprint, command line) and the config the run started with;
//     written once, before the first training. Resume reads it.
//   - config.yaml: the effective config, every key filled in
//     (configs.Config.YAML); a resume may rewrite the keys in [Resumable].
//   - evaluations.jsonl: one [fitness.Record] a line, appended as each
//     training (or cache hit) ends: genome, fitness (null when it failed),
//     scores, timings and the training seed (a decimal string, which
//     JavaScript holds exactly).
//   - generations.jsonl: one [Generation] a line, appended after each
//     generation (random search: each batch).
//   - checkpoint.json ([Checkpoint]): rewritten atomically after every
//     generation and on an interruption: the search state and how many
//     evaluation lines were logged.
//   - best.json: the best net and its preprocessor, a model.Model, which
//     evonas predict reads.
//   - summary.json ([Summary]): written last, so its presence says the run
//     finished: the stop reason, counts and the hall of fame.
//
// A comparison or a sweep (evonas compare, sweep) writes run.json ([Info],
// with its variants), one search directory per strategy and seed under
// STRATEGY/seed-N (as above, without run.json and best.json; STRATEGY with
// every character but letters, digits and ._=+,- replaced by _), and at the
// end summary.json ([ComparisonSummary]), report.md, curves.png,
// curves.svg and final.png.
//
// A run on a tabular benchmark (evolve, random, compare or sweep with
// --table) writes run.json (with its table named) before anything else,
// then, once it has finished: a search, evaluations.jsonl and summary.json
// ([TableSummary]); a comparison, summary.json ([TableComparisonSummary]),
// report.md, curves.png and curves.svg, and with --records each run's
// evaluations as STRATEGY/seed-N.jsonl. It keeps no checkpoint: one that
// fails or is interrupted takes its run.json away again (it is run again,
// not resumed), so its directory is never taken for a finished run.
//
// The JSON lines files are written a whole line at a time; a crash can
// leave a torn last line, which readers skip and a resume cuts off. Every
// number JSON cannot hold (an infinite fitness, a NaN mean or score) is
// written as null, so that a run whose every candidate fails still writes
// valid files.
//
// # Writing
//
// [New] prepares a search from a config (loading its data first, so that
// bad data leave no directory behind), [Search.Create] makes its
// directory and run.json, and [Search.Run] runs it, telling an [Observer]
// (a progress display) what happens. [Reopen] prepares the resume of a
// search: the search is replayed from its seed, every evaluation already
// logged answered from evaluations.jsonl and not written again, so that
// the resumed run's files are those of a run never stopped.
// [NewComparison], [ReopenComparison] and [Comparison.Run] do the same for
// a comparison or a sweep ([LoadVariants], [LoadSweep]); a [Queue]
// sends the trainings to other machines. [ReadResumable] reads the
// run.json of a directory to resume, whatever its kind.
//
// [Search.Launch] and [Comparison.Launch] run one prepared by New, Reopen,
// NewComparison or ReopenComparison as evonas's commands do, given a
// [Setup]: they open its queue ([QueueOptions]) and close it after the
// run, create a new run's directory with the command line, and tell its
// [Display] what the run does (the heading, the queue, notes, progress).
// [Progress] is the display the commands show, a bar or a line per
// generation on a writer ([ModeFor] picks one); a run stopped by its
// context or its queue returns a [StoppedError] naming the directory to
// resume, whose Hint says how.
//
// # Reading
//
// [Open] reads a directory that may still be written: [Dir.Records] and
// [Dir.Generations] skip a torn last line, [Dir.Summary] is nil until the
// run ends, and [Dir.Status] tells running, finished or interrupted
// apart. [List] finds the runs under a directory.
//
// # The commands
//
// Beyond run directories, run does what evonas's other commands do once
// their flags are read: [Train] one net, [Predict] and [Export] with a
// model ([OpenModel]: a file, a run's best or a Pareto member;
// [Predictions.Save]), an evolve or random run on a table ([TableRun]), a
// [TableBuild] ([TableBuild.Launch]), a simulation on a table
// ([Simulate]), a report drawn again ([Redraw]). Their checks come first,
// before any data is loaded or directory made; a bad option is an
// [OptionError] naming it, or an [InputError].
package run

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/search"
)

// The files of a run directory.
const (
	InfoFile        = "run.json"
	ConfigFile      = "config.yaml"
	EvaluationsFile = "evaluations.jsonl"
	GenerationsFile = "generations.jsonl"
	CheckpointFile  = "checkpoint.json"
	BestFile        = "best.json"
	SummaryFile     = "summary.json"
	ReportFile      = "report.md" // a comparison's
)

// InfoVersion and CheckpointVersion are the formats of run.json and
// checkpoint.json this package writes and resumes.
const (
	InfoVersion       = 1
	CheckpointVersion = 1
)

// The kinds of run a run.json describes.
const (
	KindEvolve  = "evolve"
	KindRandom  = "random"
	KindCompare = "compare"
	KindSweep   = "sweep"
)

// The strategies of a search.
const (
	GA     = "ga"
	Random = "random"
)

// Info is run.json: what a run directory holds and how to resume it.
type Info struct {
	Version     int    `json:"version"`
	Kind        string `json:"kind"`                  // evolve, random, compare or sweep
	Strategy    string `json:"strategy,omitempty"`    // evolve and random runs: ga or random
	Evaluations int    `json:"evaluations,omitempty"` // random: the budget given by --evaluations
	Data        string `json:"data_fingerprint,omitempty"`
	Command     string `json:"command"`
	Config      string `json:"config,omitempty"` // evolve and random: the effective config at the start, YAML
	// Evonas is the version of the evonas that started the run (Version
	// then); "" in run.json files written before it was recorded.
	Evonas string `json:"evonas,omitempty"`

	// compare and sweep
	Variants []VariantInfo `json:"variants,omitempty"`
	Seeds    int           `json:"seeds,omitempty"`
	// FirstSeed is the first of the Seeds seeds, numbered on from it; 0
	// (and run.json files written before it existed) means 1.
	FirstSeed int `json:"first_seed,omitempty"`
	// Budget is a comparison's trainings per search, or a table run's
	// evaluations.
	Budget int    `json:"budget,omitempty"`
	Title  string `json:"title,omitempty"`

	// Table names the tabular benchmark of a run on one (evolve, random,
	// compare or sweep with --table, docs/tables.md): its candidates are
	// looked up, not trained. "" for every other run.
	Table string `json:"table,omitempty"`
}

// VariantInfo is a strategy of a comparison as run.json lists it.
type VariantInfo struct {
	Name   string `json:"name"`
	Config string `json:"config"` // the effective config, YAML
}

// Version is this evonas's version, which run.json records (Info.Evonas)
// and a resume that finds the run's search differs names; cmd/evonas sets
// it.
var Version string

// ReadInfo reads dir's run.json; a directory without one is not a run
// (an input error).
func ReadInfo(dir string) (*Info, error) {
	path := filepath.Join(dir, InfoFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, inputf("%s is not an evonas run directory (no run.json)", dir)
	}
	if errors.Is(err, syscall.ENOTDIR) {
		// A file of a run given for its directory.
		return nil, inputf("%s is a file, not a run directory (the directory is %s)", dir, filepath.Dir(dir))
	}
	if err != nil {
		return nil, err
	}
	var ri Info
	if err := json.Unmarshal(b, &ri); err != nil {
		return nil, jsonError(path, b, err)
	}
	if ri.Version != InfoVersion {
		return nil, inputf("%s: version %d, this evonas resumes version %d", path, ri.Version, InfoVersion)
	}
	switch ri.Kind {
	case KindEvolve, KindRandom, KindCompare, KindSweep:
	default:
		return nil, inputf("%s: unknown kind of run %q (want %s, %s, %s or %s)", path, ri.Kind, KindEvolve, KindRandom, KindCompare, KindSweep)
	}
	return &ri, nil
}

// jsonError is the InputError of a JSON file that does not decode: the
// line of a syntax or type error, or that the file is cut short.
func jsonError(path string, b []byte, err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	at := int64(-1)
	switch {
	case errors.As(err, &syn):
		at = syn.Offset
	case errors.As(err, &typ):
		at = typ.Offset
	}
	switch {
	case at >= int64(len(b)) || errors.Is(err, io.ErrUnexpectedEOF):
		return inputf("%s: cut short (it ends at line %d): %v", path, 1+bytes.Count(b, []byte("\n")), err)
	case at >= 0:
		return inputf("%s:%d: %v", path, 1+bytes.Count(b[:at], []byte("\n")), err)
	}
	return inputf("%s: %v", path, err)
}

// Checkpoint is checkpoint.json, written atomically after every generation.
type Checkpoint struct {
	Version  int          `json:"version"`
	Strategy string       `json:"strategy"`
	Data     string       `json:"data_fingerprint"`
	Config   string       `json:"config"` // the effective config, YAML
	State    search.State `json:"state"`
	Logged   int          `json:"evaluations_logged"` // lines of evaluations.jsonl when written
	Time     time.Time    `json:"time"`
	// The generators of eaopt's populations cannot be saved (math/rand
	// sources); a resume recomputes them by replaying the search from the
	// seed, answering each evaluation from evaluations.jsonl.
	RNG string `json:"rng"`
	// Interrupted marks the checkpoint written when a signal stopped the
	// run: State is the last whole generation's, Logged counts every
	// evaluation logged before the stop; the log takes none after it (a
	// training that ends later is trained again on resume).
	Interrupted bool `json:"interrupted,omitempty"`
}

// checkpointJSON writes Config as a YAML string; an early format wrote
// the config as an object, which reading skips.
type checkpointJSON struct {
	checkpointFields
	Config json.RawMessage `json:"config"`
}

type checkpointFields Checkpoint

// MarshalJSON writes the checkpoint with its config as YAML text.
func (c Checkpoint) MarshalJSON() ([]byte, error) {
	y, err := json.Marshal(c.Config)
	if err != nil {
		return nil, err
	}
	return json.Marshal(checkpointJSON{checkpointFields(c), y})
}

// UnmarshalJSON reads a checkpoint; a config that is not YAML text (an
// early format) is left empty, and resume then relies on run.json's.
func (c *Checkpoint) UnmarshalJSON(b []byte) error {
	var v checkpointJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Checkpoint(v.checkpointFields)
	var y string
	if json.Unmarshal(v.Config, &y) == nil {
		c.Config = y
	}
	return nil
}

// ReadCheckpoint reads dir's checkpoint.json; it returns nil and no error
// when there is none yet (the first generation has not ended).
func ReadCheckpoint(dir string) (*Checkpoint, error) {
	path := filepath.Join(dir, CheckpointFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var cp Checkpoint
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, jsonError(path, b, err)
	}
	if cp.Version != CheckpointVersion {
		return nil, inputf("%s: version %d, this evonas resumes version %d", path, cp.Version, CheckpointVersion)
	}
	return &cp, nil
}

// Generation is a line of generations.jsonl: a generation's statistics.
// Mean and Std are null when no individual had a finite fitness; reading
// one back sets both pairs of fields (NaN for null).
type Generation struct {
	search.GenerationStats
	Mean *float64 `json:"mean"`
	Std  *float64 `json:"std"`
}

func generationOf(s search.GenerationStats) Generation {
	return Generation{s, finite(s.Mean), finite(s.Std)}
}

// UnmarshalJSON reads a line of generations.jsonl. search.GenerationStats
// reads itself (null is NaN, or +Inf for a fitness); Mean and Std follow.
// (Its MarshalJSON, promoted, writes the line.)
func (g *Generation) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &g.GenerationStats); err != nil {
		return err
	}
	g.Mean, g.Std = finite(g.GenerationStats.Mean), finite(g.GenerationStats.Std)
	return nil
}

// Summary is a search's summary.json.
type Summary struct {
	Strategy     string      `json:"strategy"`
	Config       string      `json:"config"`
	Data         string      `json:"data"`
	Task         string      `json:"task"`
	Seed         Seed        `json:"seed"`        // the run seed
	Workers      int         `json:"workers"`     // trainings at once in this process (with a queue, its local slots)
	Evaluations  int         `json:"evaluations"` // trainings
	CacheHits    int         `json:"cache_hits"`
	Generations  int         `json:"generations"`
	Stop         string      `json:"stop"`
	WallS        float64     `json:"wall_s"`
	TrainSamples int64       `json:"train_samples"`
	Best         Candidate   `json:"best"`
	HallOfFame   []Candidate `json:"hall_of_fame"`
	Dir          string      `json:"dir"`
	// A Pareto search's (objective.minimize of two or more): the objectives
	// and the front of every evaluation, the most accurate member first.
	Objectives []string      `json:"objectives,omitempty"`
	Front      []FrontMember `json:"front,omitempty"`
}

// Candidate is an architecture of a summary's hall of fame: the
// accuracies of a classification (and its balanced accuracies when the run
// selected on them), the R² of a regression.
type Candidate struct {
	Arch    string   `json:"arch"`
	Key     string   `json:"key"`
	Genome  any      `json:"genome"`
	Params  int      `json:"params"`
	Fitness *float64 `json:"fitness"`
	Status  string   `json:"status"`
	Seed    Seed     `json:"seed"` // the training seed of its first training, the net best.json saves
	// Trainings is how many trainings Fitness, and the scores below, are
	// the means of: more than one for a genome objective.repeats trained
	// again. Absent in summaries written before it was.
	Trainings int      `json:"trainings,omitempty"`
	ValAcc    *float64 `json:"val_acc,omitempty"`
	TestAcc   *float64 `json:"test_acc,omitempty"`
	ValR2     *float64 `json:"val_r2,omitempty"`
	TestR2    *float64 `json:"test_r2,omitempty"`
	// ValBalAcc and TestBalAcc are the balanced accuracies of a run that
	// selected on them (objective.metric: balanced), absent otherwise.
	ValBalAcc  *float64 `json:"val_bal_acc,omitempty"`
	TestBalAcc *float64 `json:"test_bal_acc,omitempty"`
	// Stopped says what stopped a training early (fitness.Record.Partial):
	// a multi-fidelity method, whose record ranks after every one trained
	// in full. Empty for a training of every epoch.
	Stopped string `json:"stopped,omitempty"`
}

// candidateOf is a record's entry in a summary, with the scores of m, the
// trainings its fitness is the mean of (search.Result.Means). A failed
// candidate has no scores, and an empty test split no test score: they are
// left out rather than given as 0.
func candidateOf(r fitness.Record, m search.Mean, d *dataset.Data) Candidate {
	b := Candidate{Arch: r.Arch, Key: r.Key, Genome: r.Genome, Params: r.Params, Fitness: finite(r.Fitness), Status: string(r.Status), Seed: Seed(r.Seed),
		Trainings: m.Trainings}
	if r.Partial {
		b.Stopped = r.Stopped
	}
	if b.Fitness == nil {
		return b
	}
	if d.Task == dataset.Regression {
		b.ValR2, b.TestR2 = &m.Val.R2, &m.Test.R2
	} else {
		b.ValAcc, b.TestAcc = &m.Val.Acc, &m.Test.Acc
		if m.Val.Balanced {
			b.ValBalAcc, b.TestBalAcc = &m.Val.BalAcc, &m.Test.BalAcc
		}
	}
	if d.Test.N == 0 {
		b.TestR2, b.TestAcc, b.TestBalAcc = nil, nil, nil
	}
	return b
}

// Seed is a 64-bit training seed, written as a decimal string: a JSON
// number above 2^53 is rounded by JavaScript and by any reader that parses
// numbers as doubles. A number is read too, as earlier files hold one.
type Seed uint64

// MarshalJSON writes the seed as a decimal string.
func (s Seed) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatUint(uint64(s), 10) + `"`), nil
}

// UnmarshalJSON reads a seed written as a string or as a number.
func (s *Seed) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	v, err := strconv.ParseUint(string(n), 10, 64)
	if err != nil {
		return fmt.Errorf("seed %s: %w", n, err)
	}
	*s = Seed(v)
	return nil
}

// ComparisonSummary is a comparison's or a sweep's summary.json.
type ComparisonSummary struct {
	*search.Comparison
	Seeds   int      `json:"seeds"`
	Data    string   `json:"data"`
	Command string   `json:"command"`
	WallS   float64  `json:"wall_s"`
	Ranking []string `json:"ranking,omitempty"` // sweep: variants by median final test metric, best first
}

// ReadComparisonSummary reads a comparison's summary.json; a directory
// without one, or with a summary that is not a comparison's, is an input
// error.
func ReadComparisonSummary(dir string) (*ComparisonSummary, error) {
	path := filepath.Join(dir, SummaryFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, inputf("%s is not a comparison directory (no summary.json)", dir)
	}
	if err != nil {
		return nil, err
	}
	var sum ComparisonSummary
	if err := json.Unmarshal(b, &sum); err != nil {
		return nil, inputf("%s: %v", path, err)
	}
	if sum.Comparison == nil || len(sum.Strategies) == 0 {
		return nil, inputf("%s is a single run, not a comparison or a sweep: its result is in %s", dir, path)
	}
	return &sum, nil
}

// memberDir is where a comparison keeps the search of a strategy and seed.
// A sweep's strategy names hold spaces ("population=8 mutation_rate=0.4")
// and may hold slashes (a data path): the directory is named with each
// character but letters, digits and ._=+,- replaced by _. A comparison
// written before that keeps its directories as they are.
func memberDir(dir, strategy string, seed int) string {
	seedDir := fmt.Sprintf("seed-%d", seed)
	if old := filepath.Join(dir, strategy, seedDir); safeName(strategy) != strategy {
		if _, err := os.Stat(old); err == nil {
			return old
		}
	}
	return filepath.Join(dir, safeName(strategy), seedDir)
}

// safeName is name with every character a shell or a path would treat
// specially replaced by _.
func safeName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._=+,-", r):
			return r
		}
		return '_'
	}, name)
}

// writeJSON writes v indented, atomically.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return model.WriteFileAtomic(path, append(b, '\n'))
}

// eventKey identifies an evaluation event independently of its timing: a
// replayed search makes the same events, generation by generation. The
// visit tells a genome's re-evaluations apart (each has its own seed), whose
// replay may finish in another order than the first run's.
func eventKey(r fitness.Record) string {
	return fmt.Sprintf("%d|%s|%d|%s", r.Generation, r.Key, r.Visit, r.Status)
}
