package run

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
	"github.com/evonas/evonas/table"
)

// Status is where a run stands.
type Status string

// The statuses of a run. A running search or comparison holds a lock on
// its directory (flock; the kernel drops it when the process ends, however
// it ends), so a run without a summary that no process holds stopped
// before it finished: by a signal, or killed without a chance to write
// (SIGKILL, a second Ctrl-C, a power cut). Where there is no flock
// (Windows), a run is interrupted only when its checkpoint says so.
const (
	Running     Status = "running"     // no summary yet, a process running it
	Finished    Status = "finished"    // summary.json written
	Interrupted Status = "interrupted" // stopped before its summary; evonas resume continues it
)

// Dir is a run directory opened for reading. Its methods read the files
// afresh at every call, so they follow a run that is still being written:
// none fails on a torn last line or a file not written yet.
type Dir struct {
	Path string
	// Info is run.json; nil for the search of a comparison (STRATEGY/seed-N),
	// which has none.
	Info *Info
}

// Open opens a run directory: one with run.json (evolve, random, compare,
// sweep), or the search of a comparison.
func Open(path string) (*Dir, error) {
	if _, err := os.Stat(filepath.Join(path, InfoFile)); errors.Is(err, fs.ErrNotExist) {
		for _, f := range []string{EvaluationsFile, ConfigFile} {
			if _, err := os.Stat(filepath.Join(path, f)); err == nil {
				return &Dir{Path: path}, nil
			}
		}
	}
	info, err := ReadInfo(path)
	if err != nil {
		return nil, err
	}
	return &Dir{Path: path, Info: info}, nil
}

// IsComparison reports whether the directory holds a comparison or a
// sweep: a set of searches (see Members) rather than one.
func (d *Dir) IsComparison() bool {
	return d.Info != nil && (d.Info.Kind == KindCompare || d.Info.Kind == KindSweep)
}

// IsTable reports whether the directory holds a run or a comparison on a
// tabular benchmark (Info.Table): its summary is a [TableSummary] or a
// [TableComparisonSummary], and it has no generations, checkpoint or
// search directories.
func (d *Dir) IsTable() bool {
	return d.Info != nil && d.Info.Table != ""
}

// Config is a search's effective config: config.yaml, or the config in
// run.json before config.yaml is written.
func (d *Dir) Config() (configs.Config, error) {
	cfg, err := ReadConfig(d.Path)
	if errors.Is(err, fs.ErrNotExist) && d.Info != nil && d.Info.Config != "" {
		return configs.Parse([]byte(d.Info.Config), filepath.Join(d.Path, InfoFile))
	}
	return cfg, err
}

// Records are a search's evaluations so far, in the order they ended; a
// table run's in the order its search made them, which its file does not
// number (every index is 0 there): Records numbers them from 0.
func (d *Dir) Records() ([]fitness.Record, error) {
	recs, _, err := d.RecordsFrom(0, 0)
	return recs, err
}

// RecordsFrom are the records of a search's evaluations.jsonl from byte
// offset off on, n records having come before it (a table run's are
// numbered from n), and the offset after the last complete one: a reader
// following a live search passes it back to decode only what was
// appended since (Records reads from 0 each time). off must be 0 or an
// offset RecordsFrom returned for the same file, which grows by appending.
func (d *Dir) RecordsFrom(off int64, n int) ([]fitness.Record, int64, error) {
	recs, next, err := readEvaluationsAt(d.Path, off, false)
	if d.IsTable() {
		for i := range recs {
			recs[i].Index = n + i
		}
	}
	return recs, next, err
}

// Generations are a search's generations so far.
func (d *Dir) Generations() ([]Generation, error) {
	return readGenerations(d.Path, false)
}

// Checkpoint is a search's last checkpoint; nil before the first
// generation ends.
func (d *Dir) Checkpoint() (*Checkpoint, error) {
	return ReadCheckpoint(d.Path)
}

// Summary is a search's summary.json; nil until the search ends. A table
// run's is a TableSummary. Asked of a directory whose summary another of
// these methods reads, each is an InputError naming that method.
func (d *Dir) Summary() (*Summary, error) {
	var s Summary
	if ok, err := d.readSummary(&s, false, false); !ok {
		return nil, err
	}
	return &s, nil
}

// ComparisonSummary is a comparison's summary.json; nil until the
// comparison ends. A table comparison's is a TableComparisonSummary.
func (d *Dir) ComparisonSummary() (*ComparisonSummary, error) {
	var s ComparisonSummary
	if ok, err := d.readSummary(&s, true, false); !ok {
		return nil, err
	}
	return &s, nil
}

// TableSummary is the summary.json of a run on a table; nil until it ends.
func (d *Dir) TableSummary() (*TableSummary, error) {
	var s TableSummary
	if ok, err := d.readSummary(&s, false, true); !ok {
		return nil, err
	}
	return &s, nil
}

// TableComparisonSummary is the summary.json of a comparison or sweep on a
// table; nil until it ends.
func (d *Dir) TableComparisonSummary() (*TableComparisonSummary, error) {
	s := TableComparisonSummary{Comparison: &table.Comparison{}}
	if ok, err := d.readSummary(&s, true, true); !ok {
		return nil, err
	}
	return &s, nil
}

// readSummary decodes summary.json into v, a comparison's or a search's,
// on a table or not; it reports false when there is none yet.
func (d *Dir) readSummary(v any, comparison, onTable bool) (bool, error) {
	path := filepath.Join(d.Path, SummaryFile)
	if d.IsComparison() != comparison || d.IsTable() != onTable {
		return false, inputf("%s: its summary (%s) is read by Dir.%s", d.Path, d.kind(), d.summaryMethod())
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, inputf("%s: %v", path, err)
	}
	return true, nil
}

// summaryMethod names the method of Dir that reads d's summary.
func (d *Dir) summaryMethod() string {
	m := "Summary"
	if d.IsComparison() {
		m = "ComparisonSummary"
	}
	if d.IsTable() {
		m = "Table" + m
	}
	return m
}

func (d *Dir) kind() string {
	if d.Info == nil {
		return "search of a comparison"
	}
	if d.IsTable() {
		return d.Info.Kind + " on table " + d.Info.Table
	}
	return d.Info.Kind
}

// Status tells whether the run is running, finished or interrupted (see
// the statuses). A comparison is interrupted when one of its searches is,
// or when no process holds it before its summary. A run on a table
// is running until its summary is written: one that stops before takes
// its run.json away.
func (d *Dir) Status() (Status, error) {
	if _, err := os.Stat(filepath.Join(d.Path, SummaryFile)); err == nil {
		return Finished, nil
	}
	if d.IsTable() {
		return Running, nil
	}
	if !d.IsComparison() {
		cp, err := d.Checkpoint()
		if err != nil {
			return "", err
		}
		return d.running(cp != nil && cp.Interrupted), nil
	}
	ms, err := d.Members()
	if err != nil {
		return "", err
	}
	for _, m := range ms {
		if st, err := m.Dir.Status(); err != nil || st == Interrupted {
			return st, err
		}
	}
	// Killed between two searches, every search begun finished.
	return d.running(false), nil
}

// running is the status of a run without a summary: running while a
// process holds its lock, interrupted once none does, whatever its
// checkpoint says (a run killed before it could write its stop, and a
// resume that has not yet written its first checkpoint). Where the lock
// cannot tell, interrupted is the checkpoint's word.
func (d *Dir) running(interrupted bool) Status {
	if locked, ok := held(d.Path); ok {
		interrupted = !locked
	}
	if interrupted {
		return Interrupted
	}
	return Running
}

// Member is a search of a comparison.
type Member struct {
	Strategy string // a variant's name, or random
	Seed     int
	Dir      *Dir
}

// Members are the searches of a comparison begun so far, strategy by
// strategy (random last), seed by seed; none for a comparison on a table,
// which keeps no search directories.
func (d *Dir) Members() ([]Member, error) {
	if !d.IsComparison() {
		return nil, inputf("%s: a %s has no searches of its own", d.Path, d.kind())
	}
	if d.IsTable() {
		return nil, nil
	}
	names := make([]string, 0, len(d.Info.Variants)+1)
	for _, v := range d.Info.Variants {
		names = append(names, v.Name)
	}
	names = append(names, search.Baseline)
	var ms []Member
	for _, name := range names {
		first := max(d.Info.FirstSeed, 1)
		for i := range d.Info.Seeds {
			seed := first + i
			dir, err := Open(memberDir(d.Path, name, seed))
			if err == nil {
				ms = append(ms, Member{Strategy: name, Seed: seed, Dir: dir})
			}
		}
	}
	return ms, nil
}

// List finds the runs under root (root included): every directory with a
// run.json, sorted by path, without descending into them. A run.json it
// cannot read is reported in the error, after the runs it could.
func List(root string) ([]*Dir, error) {
	var dirs []*Dir
	var errs []error
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() {
			return nil
		}
		if _, err := os.Stat(filepath.Join(path, InfoFile)); err != nil {
			return nil
		}
		info, err := ReadInfo(path)
		if err != nil {
			errs = append(errs, err)
		} else {
			dirs = append(dirs, &Dir{Path: path, Info: info})
		}
		return filepath.SkipDir
	})
	sort.Slice(dirs, func(i, j int) bool { return dirs[i].Path < dirs[j].Path })
	return dirs, errors.Join(append(errs, err)...)
}

// Started is when the run began: when its run.json (a comparison's
// search: its config.yaml) was written; zero when neither is there.
func (d *Dir) Started() time.Time {
	for _, f := range []string{InfoFile, ConfigFile} {
		if fi, err := os.Stat(filepath.Join(d.Path, f)); err == nil {
			return fi.ModTime()
		}
	}
	return time.Time{}
}

// Stamp changes whenever the search's files do (their sizes and times),
// so that a reader polling a run (a dashboard) can keep what it read
// until then.
func (d *Dir) Stamp() string {
	var b strings.Builder
	for _, f := range []string{EvaluationsFile, GenerationsFile, CheckpointFile, SummaryFile, ConfigFile} {
		if fi, err := os.Stat(filepath.Join(d.Path, f)); err == nil {
			fmt.Fprintf(&b, "%s:%d:%d;", f, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return b.String()
}

// Hold takes the lock that a running search or comparison holds on its
// directory until release is called (or the process ends), so that
// [Dir.Status] reads it as running: for a program that writes a run
// directory itself, or a test that fabricates a live one. It fails, as a
// resume does, when another process holds it.
func Hold(dir string) (release func(), err error) { return lockDir(dir) }
