package table

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// DefaultMaxRows is the largest grid Build accepts unless told otherwise.
const DefaultMaxRows = 10000

// BuildOptions configure Build.
type BuildOptions struct {
	Repeats int // trainings per configuration, each with its own seed; >= 1
	MaxRows int // refuse a grid with more configurations; 0 = DefaultMaxRows
	// Progress, when set, sees the configurations finished and the total
	// after every batch, the resumed ones included.
	Progress func(done, total int)
}

// Build trains every configuration of the discrete space Repeats times
// with ev (its data, training settings, workers and backend) and writes
// the table to out, gzip'd: the genes, val_<metric>_K and test_<metric>_K
// (accuracy for classification, R² for regression), params and
// train_s_K. Repeat 0 of a configuration is ev's evaluation of it, repeat
// k its k-th re-evaluation (another training seed).
//
// Finished rows are appended to out + ".partial" as they complete, so an
// interrupted build loses no finished row: Build with the same space and
// out resumes from it, and removes it once out is written. out is written
// atomically and never overwritten.
func Build(ctx context.Context, ev *fitness.Evaluator, space genome.Space, out string, o BuildOptions) error {
	if o.Repeats < 1 {
		return fmt.Errorf("table: %d repeats, want at least 1", o.Repeats)
	}
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if err := space.Validate(); err != nil {
		return err
	}
	n, err := space.GridSize()
	if err != nil {
		return fmt.Errorf("table build needs a discrete space: %w", err)
	}
	if n > float64(o.MaxRows) {
		return fmt.Errorf("search_space: %.6g configurations x %d repeats = %.6g trainings; the limit is %d configurations (--max-rows)", n, o.Repeats, n*float64(o.Repeats), o.MaxRows)
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("table: %s exists; choose another --out", out)
	}
	grid, err := genome.NewGrid(space)
	if err != nil {
		return err
	}
	metric := "acc"
	if ev.Data().Task == dataset.Regression {
		metric = "r2"
	}
	w := newRowWriter(space, metric, o.Repeats)
	partial := out + ".partial"
	rows, keep, err := readPartial(partial, w, grid)
	if err != nil {
		return err
	}
	// Rows are appended after the last whole line: a torn one (a crash
	// mid-write) is cut off first, or the next row would be glued to it.
	f, err := os.OpenFile(partial, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("table: %w", err)
	}
	defer f.Close()
	if err := f.Truncate(keep); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	if _, err := f.Seek(keep, io.SeekStart); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	if keep == 0 {
		if _, err := f.WriteString(w.header + "\n"); err != nil {
			return fmt.Errorf("table: %w", err)
		}
	}
	var todo []int
	for i := range grid.Size() {
		if _, ok := rows[i]; !ok {
			todo = append(todo, i)
		}
	}
	batch := max(ev.Workers()*2, 4)
	for start := 0; start < len(todo); start += batch {
		idx := todo[start:min(start+batch, len(todo))]
		gs := make([]genome.Genome, len(idx))
		for j, i := range idx {
			gs[j] = grid.Genome(i)
		}
		reps := make([][]fitness.Record, o.Repeats)
		if reps[0], err = ev.Evaluate(ctx, gs, 0); err != nil {
			return err
		}
		for k := 1; k < o.Repeats; k++ {
			if reps[k], err = ev.Reevaluate(ctx, gs, k); err != nil {
				return err
			}
		}
		var buf strings.Builder
		for j, i := range idx {
			recs := make([]fitness.Record, o.Repeats)
			for k := range recs {
				recs[k] = reps[k][j]
			}
			line := w.row(gs[j], recs)
			rows[i] = line
			fmt.Fprintf(&buf, "%d,%s\n", i, line)
		}
		if _, err := f.WriteString(buf.String()); err != nil {
			return fmt.Errorf("table: %w", err)
		}
		if err := f.Sync(); err != nil {
			return fmt.Errorf("table: %w", err)
		}
		if o.Progress != nil {
			o.Progress(len(rows), grid.Size())
		}
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	bw := bufio.NewWriter(zw)
	bw.WriteString(w.header + "\n")
	for i := range grid.Size() {
		bw.WriteString(rows[i] + "\n")
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".table-*")
	if err != nil {
		return fmt.Errorf("table: %w", err)
	}
	if _, err := tmp.Write(z.Bytes()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("table: %w", err)
	}
	// Synced before the rename: the partial file, the only other copy of
	// the rows, is removed right after it.
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("table: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("table: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("table: %w", err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("table: %w", err)
	}
	f.Close()
	return os.Remove(partial)
}

// readPartial reads the rows an interrupted build finished: lines of
// "index,row" after the header, which must be the same, each row's genes
// those of its index in the grid. A torn last line (a crash mid-write) is
// dropped, and so is a torn or missing header (a crash before the first
// row), which leaves nothing to resume. keep is the length of the file's
// whole lines to keep: 0 when the file, missing, empty or torn before the
// end of its header, is to be started again.
func readPartial(path string, w *rowWriter, grid *genome.Grid) (rows map[int]string, keep int64, err error) {
	header := w.header
	rows = map[int]string{}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return rows, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("table: %w", err)
	}
	if i := bytes.IndexByte(data, '\n'); i < 0 && strings.HasPrefix(header, string(data)) {
		return rows, 0, nil // no row was written: start again
	}
	keep = int64(bytes.LastIndexByte(data, '\n') + 1)
	lines := strings.Split(string(data[:keep]), "\n")
	if lines[0] != header {
		return nil, 0, &Error{File: path, Line: 1, Msg: "an interrupted build of another space or repeats (header differs); delete it to start over"}
	}
	want := strings.Count(header, ",") + 1
	for li, l := range lines[1:] {
		i, row, ok := strings.Cut(l, ",")
		n, err := strconv.Atoi(i)
		if !ok || err != nil || strings.Count(row, ",")+1 != want {
			continue // the torn last line
		}
		if n < 0 || n >= grid.Size() || !strings.HasPrefix(row, w.genes(grid.Genome(n))+",") {
			return nil, 0, &Error{File: path, Line: li + 2, Msg: "a configuration of another space; delete the file to start over"}
		}
		rows[n] = row
	}
	return rows, keep, nil
}

// rowWriter formats a space's configurations and their repeats as rows.
type rowWriter struct {
	space   genome.Space
	metric  string
	repeats int
	layers  int  // per-layer columns 1..layers
	depth   bool // a depth column
	header  string
}

func newRowWriter(s genome.Space, metric string, repeats int) *rowWriter {
	w := &rowWriter{space: s, metric: metric, repeats: repeats, layers: s.Layers.Max, depth: s.Layers.Min != s.Layers.Max || s.SharedWidth}
	var cols []string
	if w.depth {
		cols = append(cols, "depth")
	}
	if s.SharedWidth {
		cols = append(cols, "width")
	}
	for k := 1; k <= w.layers; k++ {
		if !s.SharedWidth {
			cols = append(cols, fmt.Sprintf("units_%d", k))
		}
		cols = append(cols, fmt.Sprintf("activation_%d", k), fmt.Sprintf("dropout_%d", k))
	}
	cols = append(cols, "lr", "lr_schedule", "batch", "l2", "optimizer")
	for _, p := range []string{"val_" + metric, "test_" + metric, "train_s"} {
		for k := range repeats {
			cols = append(cols, fmt.Sprintf("%s_%d", p, k))
		}
	}
	cols = append(cols, "params")
	w.header = strings.Join(cols, ",")
	return w
}

// row formats g and its repeats' records.
func (w *rowWriter) row(g genome.Genome, recs []fitness.Record) string {
	f := []string{w.genes(g)}
	for _, r := range recs {
		f = append(f, w.value(r, r.Val))
	}
	for _, r := range recs {
		f = append(f, w.value(r, r.Test))
	}
	for _, r := range recs {
		f = append(f, strconv.FormatFloat(r.TrainS, 'g', 4, 64))
	}
	f = append(f, strconv.Itoa(slices.MaxFunc(recs, func(a, b fitness.Record) int { return a.Params - b.Params }).Params))
	return strings.Join(f, ",")
}

// genes formats the gene columns of g.
func (w *rowWriter) genes(g genome.Genome) string {
	var f []string
	if w.depth {
		f = append(f, strconv.Itoa(len(g.Layers)))
	}
	if w.space.SharedWidth {
		width := 0
		if len(g.Layers) > 0 {
			width = g.Layers[0].Units
		} else if ws := w.space.WidthChoices; len(ws) > 0 {
			width = ws[0] // no layer: the column still needs a value of the grid
		} else {
			width = w.space.Width.Min
		}
		f = append(f, strconv.Itoa(width))
	}
	for k := range w.layers {
		if k >= len(g.Layers) {
			if !w.space.SharedWidth {
				f = append(f, "")
			}
			f = append(f, "", "")
			continue
		}
		l := g.Layers[k]
		if !w.space.SharedWidth {
			f = append(f, strconv.Itoa(l.Units))
		}
		f = append(f, l.Activation, fmtFloat(l.Dropout))
	}
	f = append(f, fmtFloat(g.LR), genome.ScheduleName(g.Schedule), strconv.Itoa(g.Batch), fmtFloat(g.L2), g.Optimizer)
	return strings.Join(f, ",")
}

// value is a record's metric: a failed training's is the worst there is
// (accuracy 0, R² -inf).
func (w *rowWriter) value(r fitness.Record, s fitness.Scores) string {
	if r.Status != fitness.OK {
		if w.metric == "acc" {
			return "0"
		}
		return strconv.FormatFloat(math.Inf(-1), 'g', -1, 64)
	}
	v := s.Acc
	if w.metric == "r2" {
		v = s.R2
	}
	return fmtFloat(v)
}
