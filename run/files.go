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
//     scores, timings and the training seed.
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
// STRATEGY/seed-N (as above, without run.json and best.json), and at the
// end summary.json ([ComparisonSummary]), report.md, curves.png,
// curves.svg and final.png.
//
// The JSON lines files are written a whole line at a time; a crash can
// leave a torn last line, which readers skip and a resume cuts off.
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
// a comparison or a sweep; a [Queue] sends the trainings to other
// machines.
//
// # Reading
//
// [Open] reads a directory that may still be written: [Dir.Records] and
// [Dir.Generations] skip a torn last line, [Dir.Summary] is nil until the
// run ends, and [Dir.Status] tells running, finished or interrupted
// apart. [List] finds the runs under a directory.
package run

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

	// compare and sweep
	Variants []VariantInfo `json:"variants,omitempty"`
	Seeds    int           `json:"seeds,omitempty"`
	Budget   int           `json:"budget,omitempty"`
	Title    string        `json:"title,omitempty"`
}

// VariantInfo is a strategy of a comparison as run.json lists it.
type VariantInfo struct {
	Name   string `json:"name"`
	Config string `json:"config"` // the effective config, YAML
}

// ReadInfo reads dir's run.json; a directory without one is not a run
// (an input error).
func ReadInfo(dir string) (*Info, error) {
	path := filepath.Join(dir, InfoFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, inputf("%s is not an evonas run directory (no run.json)", dir)
	}
	if err != nil {
		return nil, err
	}
	var ri Info
	if err := json.Unmarshal(b, &ri); err != nil {
		return nil, inputf("%s: %v", path, err)
	}
	if ri.Version != InfoVersion {
		return nil, inputf("%s: version %d, this evonas resumes version %d", path, ri.Version, InfoVersion)
	}
	return &ri, nil
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
	// evaluation finished before the stop.
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
		return nil, inputf("%s: %v", path, err)
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

type generationFields Generation

// UnmarshalJSON reads a line of generations.jsonl.
func (g *Generation) UnmarshalJSON(b []byte) error {
	var v generationFields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*g = Generation(v)
	g.GenerationStats.Mean, g.GenerationStats.Std = orNaN(g.Mean), orNaN(g.Std)
	return nil
}

// Summary is a search's summary.json.
type Summary struct {
	Strategy     string      `json:"strategy"`
	Config       string      `json:"config"`
	Data         string      `json:"data"`
	Task         string      `json:"task"`
	Seed         uint64      `json:"seed"`
	Workers      int         `json:"workers"`
	Evaluations  int         `json:"evaluations"` // trainings
	CacheHits    int         `json:"cache_hits"`
	Generations  int         `json:"generations"`
	Stop         string      `json:"stop"`
	WallS        float64     `json:"wall_s"`
	TrainSamples int64       `json:"train_samples"`
	Best         Candidate   `json:"best"`
	HallOfFame   []Candidate `json:"hall_of_fame"`
	Dir          string      `json:"dir"`
}

// Candidate is an architecture of a summary's hall of fame: the
// accuracies of a classification, the R² of a regression.
type Candidate struct {
	Arch    string   `json:"arch"`
	Key     string   `json:"key"`
	Genome  any      `json:"genome"`
	Params  int      `json:"params"`
	Fitness *float64 `json:"fitness"`
	Status  string   `json:"status"`
	Seed    uint64   `json:"seed"`
	ValAcc  *float64 `json:"val_acc,omitempty"`
	TestAcc *float64 `json:"test_acc,omitempty"`
	ValR2   *float64 `json:"val_r2,omitempty"`
	TestR2  *float64 `json:"test_r2,omitempty"`
}

func candidateOf(r fitness.Record, task dataset.Task) Candidate {
	b := Candidate{Arch: r.Arch, Key: r.Key, Genome: r.Genome, Params: r.Params, Fitness: finite(r.Fitness), Status: string(r.Status), Seed: r.Seed}
	if task == dataset.Regression {
		b.ValR2, b.TestR2 = &r.Val.R2, &r.Test.R2
	} else {
		b.ValAcc, b.TestAcc = &r.Val.Acc, &r.Test.Acc
	}
	return b
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
	if err := json.Unmarshal(b, &sum); err != nil || sum.Comparison == nil || len(sum.Strategies) == 0 {
		return nil, inputf("%s: not a comparison's summary: %v", path, err)
	}
	return &sum, nil
}

// memberDir is where a comparison keeps the search of a strategy and seed.
func memberDir(dir, strategy string, seed int) string {
	return filepath.Join(dir, strategy, fmt.Sprintf("seed-%d", seed))
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
// replayed search makes the same events, generation by generation.
func eventKey(r fitness.Record) string {
	return fmt.Sprintf("%d|%s|%s", r.Generation, r.Key, r.Status)
}
