package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/search"
)

// runInfoVersion and checkpointVersion are the formats of run.json and
// checkpoint.json this evonas writes and resumes.
const (
	runInfoVersion    = 1
	checkpointVersion = 1
)

// runInfo is run.json: what a run directory holds and how to resume it.
type runInfo struct {
	Version     int    `json:"version"`
	Kind        string `json:"kind"`                  // evolve, random, compare or sweep
	Strategy    string `json:"strategy,omitempty"`    // evolve and random runs: ga or random
	Evaluations int    `json:"evaluations,omitempty"` // random: the budget given by --evaluations
	Data        string `json:"data_fingerprint,omitempty"`
	Command     string `json:"command"`
	Config      string `json:"config,omitempty"` // evolve and random: the effective config at the start, YAML

	// compare and sweep
	Variants []variantInfo `json:"variants,omitempty"`
	Seeds    int           `json:"seeds,omitempty"`
	Budget   int           `json:"budget,omitempty"`
	Title    string        `json:"title,omitempty"`
}

type variantInfo struct {
	Name   string `json:"name"`
	Config string `json:"config"` // the effective config, YAML
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return model.WriteFileAtomic(path, append(b, '\n'))
}

func readRunInfo(dir string) (*runInfo, error) {
	path := filepath.Join(dir, "run.json")
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usagef("%s is not an evonas run directory (no run.json)", dir)
	}
	if err != nil {
		return nil, err
	}
	var ri runInfo
	if err := json.Unmarshal(b, &ri); err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	if ri.Version != runInfoVersion {
		return nil, usagef("%s: version %d, this evonas resumes version %d", path, ri.Version, runInfoVersion)
	}
	return &ri, nil
}

// checkpoint is checkpoint.json, written atomically after every generation.
type checkpoint struct {
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

type checkpointFields checkpoint

// MarshalJSON writes the checkpoint with its config as YAML text.
func (c checkpoint) MarshalJSON() ([]byte, error) {
	y, err := json.Marshal(c.Config)
	if err != nil {
		return nil, err
	}
	return json.Marshal(checkpointJSON{checkpointFields(c), y})
}

// UnmarshalJSON reads a checkpoint; a config that is not YAML text (an
// early format) is left empty, and resume then relies on run.json's.
func (c *checkpoint) UnmarshalJSON(b []byte) error {
	var v checkpointJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = checkpoint(v.checkpointFields)
	var y string
	if json.Unmarshal(v.Config, &y) == nil {
		c.Config = y
	}
	return nil
}

func readCheckpoint(dir string) (*checkpoint, error) {
	path := filepath.Join(dir, "checkpoint.json")
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // killed before the first generation ended
	}
	if err != nil {
		return nil, err
	}
	var cp checkpoint
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	if cp.Version != checkpointVersion {
		return nil, usagef("%s: version %d, this evonas resumes version %d", path, cp.Version, checkpointVersion)
	}
	return &cp, nil
}

// readLog reads a JSON lines log. A torn last line (a write cut short by
// a crash) is dropped and cut from the file; a bad line elsewhere is an
// error naming it. decode is called for every good line.
func readLog(path string, decode func([]byte) error) (int, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return 0, err
	}
	lines, good := 0, 0 // good: bytes up to the end of the last good line
	r := bufio.NewReader(bytes.NewReader(data))
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if len(line) == 0 && err == io.EOF {
			break
		}
		complete := err == nil
		if derr := decode(bytes.TrimSpace(line)); derr != nil || !complete {
			if _, more := r.Peek(1); more == nil {
				return lines, usagef("%s:%d: %v", path, n, derr)
			}
			// The last line is torn: drop it.
			if terr := f.Truncate(int64(good)); terr != nil {
				return lines, terr
			}
			break
		}
		lines++
		good += len(line)
	}
	return lines, nil
}

// loadEvaluations reads a run's evaluations.jsonl.
func loadEvaluations(dir string) ([]fitness.Record, error) {
	var recs []fitness.Record
	_, err := readLog(filepath.Join(dir, "evaluations.jsonl"), func(b []byte) error {
		var r fitness.Record
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		if r.Key == "" {
			return fmt.Errorf("evaluation without a key")
		}
		recs = append(recs, r)
		return nil
	})
	return recs, err
}

// eventKey identifies an evaluation event independently of its timing: a
// replayed search makes the same events, generation by generation.
func eventKey(r fitness.Record) string {
	return fmt.Sprintf("%d|%s|%s", r.Generation, r.Key, r.Status)
}
