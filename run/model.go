package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/export"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/search"
)

// LoadModel loads a model file, or the best model of the run directory at
// path (its best.json); a directory without one is an InputError.
func LoadModel(path string) (*model.Model, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		best := filepath.Join(path, BestFile)
		if _, err := os.Stat(best); errors.Is(err, fs.ErrNotExist) {
			return nil, noBest(path)
		}
		path = best
	}
	return model.Load(path)
}

// noBest is the error of a directory without best.json: a comparison's,
// whose searches keep no model, says how to get one.
func noBest(dir string) error {
	isComparison := func(d string) bool {
		info, err := ReadInfo(d)
		return err == nil && (info.Kind == KindCompare || info.Kind == KindSweep)
	}
	dir = filepath.Clean(dir)
	if info, err := ReadInfo(dir); err == nil && info.Table != "" {
		return inputf("%s is a %s on table %s, which trains no nets and keeps no model", dir, tableKind(info), info.Table)
	}
	switch {
	case isComparison(dir):
		return inputf("%s is a comparison, whose searches keep no model: evonas evolve --config %s --out DIR (evonas random for %s/seed-N) runs one of them again, the same search, and saves its best.json",
			dir, ShellQuote(filepath.Join(dir, "STRATEGY", "seed-N", ConfigFile)), search.Baseline)
	case isComparison(filepath.Join(dir, "..", "..")):
		command := "evolve"
		if filepath.Base(filepath.Dir(dir)) == search.Baseline {
			command = "random"
		}
		return inputf("%s is a search of a comparison, which keeps no model: evonas %s --config %s --out DIR runs it again, the same search, and saves its best.json",
			dir, command, ShellQuote(filepath.Join(dir, ConfigFile)))
	}
	return inputf("%s is a directory without best.json (a run saves it when it ends)", dir)
}

// tableKind names what a run on a table is: a search or a comparison.
func tableKind(info *Info) string {
	if info.Kind == KindCompare || info.Kind == KindSweep {
		return "comparison"
	}
	return "search"
}

// OpenModel is LoadModel, or with a member (MemberModel's which) that
// member of the front of the Pareto search in the run directory path.
func OpenModel(ctx context.Context, path, member string) (*model.Model, error) {
	if member == "" {
		return LoadModel(path)
	}
	if st, err := os.Stat(path); err != nil || !st.IsDir() {
		return nil, inputf("--member needs --model to be a run directory, got %s", path)
	}
	return MemberModel(ctx, path, member)
}

// CheckOut reports, before any work starts, whether a command can write
// its output file: CheckWritable, and an existing file only with force.
// The path "" (no file: the command prints) needs no check.
func CheckOut(path string, force bool) error {
	if path == "" {
		return nil
	}
	if err := CheckWritable(path); err != nil {
		return err
	}
	if _, err := os.Lstat(path); err == nil && !force {
		return inputf("%s already exists; use --force to overwrite it", path)
	}
	return nil
}

// Predictions are a model's predictions of a table's rows (evonas
// predict).
type Predictions struct {
	CSV []byte // one row per input row: the kept columns, then the prediction
	// Notes say what the predictions may suffer from: text inputs with
	// values the model was not trained on, which it encodes as none of its
	// categories.
	Notes []string
	m     *model.Model
	t     *dataset.Table
	preds []model.Prediction
}

// Predict predicts with m the rows of data, a built-in data set or a CSV
// file read with opts (its columns matched by name), each output row
// starting with the columns of keep (an ID, say) as they are written.
func Predict(m *model.Model, data string, opts dataset.Options, keep []string) (*Predictions, error) {
	opts.Text = m.TextColumns(keep)
	t, err := loadTable(data, opts)
	if err != nil {
		return nil, err
	}
	var cols []*dataset.Column
	for _, name := range keep {
		i := slices.IndexFunc(t.Columns, func(c dataset.Column) bool { return c.Name == name })
		if i < 0 {
			var have []string
			for _, c := range t.Columns {
				have = append(have, c.Name)
			}
			return nil, optionf("keep", "%s has no column %q (columns: %s)", t.Source, name, strings.Join(have, ", "))
		}
		cols = append(cols, &t.Columns[i])
	}
	preds, err := m.Predict(t)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := m.WritePredictions(&buf, preds, cols...); err != nil {
		return nil, err
	}
	return &Predictions{CSV: buf.Bytes(), Notes: append(unseen(m, t), unanswered(t, preds)...), m: m, t: t, preds: preds}, nil
}

// unanswered notes the rows the model gave no prediction (its output not a
// number), with the first few of their lines.
func unanswered(t *dataset.Table, preds []model.Prediction) []string {
	var where []string
	n := 0
	for i, p := range preds {
		if !p.None {
			continue
		}
		if n++; n <= 5 {
			at := i + 1 // (a generated table has no lines)
			if t.Lines != nil {
				at = t.Lines[i]
			}
			where = append(where, strconv.Itoa(at))
		}
	}
	if n == 0 {
		return nil
	}
	if n > 5 {
		where = append(where, "...")
	}
	what, have, their := "lines", "have", "their inputs lying"
	if t.Lines == nil {
		what = "rows"
	}
	if n == 1 {
		what, have, their = strings.TrimSuffix(what, "s"), "has", "its inputs lying"
	}
	return []string{fmt.Sprintf("%s: %d of %d rows %s no prediction (%s %s): the net's output is not a number, %s far outside the training rows'; left empty",
		t.Source, n, t.Rows(), have, what, strings.Join(where, ", "), their)}
}

// unseen notes each text input of m whose values in t include one the
// model was not trained on (m encodes such a value as none of its
// categories): how many rows, the first few such values and the known ones.
func unseen(m *model.Model, t *dataset.Table) []string {
	var notes []string
	for _, in := range m.Prep.Inputs {
		i := slices.IndexFunc(t.Columns, func(c dataset.Column) bool { return c.Name == in.Name })
		if len(in.Categories) == 0 || i < 0 {
			continue
		}
		c := &t.Columns[i]
		rows, values := 0, []string(nil)
		for r := range t.Rows() {
			v := ""
			if c.Str != nil {
				v = c.Str[r]
			} else {
				v = strconv.FormatFloat(c.Num[r], 'g', -1, 64)
			}
			if !slices.Contains(in.Categories, v) {
				rows++
				if !slices.Contains(values, v) {
					values = append(values, v)
				}
			}
		}
		if rows > 0 {
			notes = append(notes, fmt.Sprintf("%s: column %q: %d of %d rows hold a value the model was not trained on (%s; it knows %s), predicted as if the column held none of those it knows",
				t.Source, in.Name, rows, t.Rows(), quoteFew(values), quoteFew(in.Categories)))
		}
	}
	return notes
}

// quoteFew is the first few of vs, quoted, with "..." for the rest.
func quoteFew(vs []string) string {
	const few = 5
	var q []string
	for _, v := range vs[:min(len(vs), few)] {
		q = append(q, strconv.Quote(v))
	}
	if len(vs) > few {
		q = append(q, fmt.Sprintf("... %d in all", len(vs)))
	}
	return strings.Join(q, ", ")
}

// WriteScore prints how well the predictions match the table's target
// column, when it has one (model.Model.WriteScore).
func (p *Predictions) WriteScore(w io.Writer) { p.m.WriteScore(w, p.t, p.preds) }

// Save writes the predictions as evonas predict does: to the file out,
// atomically, with the score on stdout; or, when out is "", to stdout with
// the score on stderr, so that the rows can be piped.
func (p *Predictions) Save(out string, stdout, stderr io.Writer) error {
	if out == "" {
		if _, err := stdout.Write(p.CSV); err != nil {
			return err
		}
		p.WriteScore(stderr)
		return nil
	}
	if err := model.WriteFileAtomic(out, p.CSV); err != nil {
		return err
	}
	p.WriteScore(stdout)
	return nil
}

// ExportOptions are evonas export's.
type ExportOptions struct {
	Model, Member string // as OpenModel takes them
	Format        string // export.Formats; "" for the one Out's extension names
	Out           string
	Force         bool   // replace files that exist
	Producer      string // the evonas version written into the files
}

// Export writes a model in another runtime's format (package export) and
// returns the files written; it writes all of them or none.
func Export(ctx context.Context, o ExportOptions) ([]export.File, error) {
	if o.Format == "" {
		if o.Format = export.FormatOf(o.Out); o.Format == "" {
			return nil, inputf("export: --format is required when --out %s ends in neither .onnx nor .py", o.Out)
		}
	}
	known := false
	for _, f := range export.Formats {
		known = known || f == o.Format
	}
	if !known {
		return nil, inputf("export: --format: unknown format %q (want %s)", o.Format, strings.Join(export.Formats, " or "))
	}
	m, err := OpenModel(ctx, o.Model, o.Member)
	if err != nil {
		return nil, err
	}
	files, err := export.Files(m, o.Format, o.Out, o.Producer)
	if err != nil {
		return nil, &InputError{err} // the model does not fit the format
	}
	for _, f := range files {
		// CheckWritable first: a directory is not replaced, --force or not.
		if err := CheckWritable(f.Path); err != nil {
			return nil, err
		}
		if _, err := os.Stat(f.Path); err == nil && !o.Force {
			return nil, inputf("export: %s exists (--force replaces it)", f.Path)
		}
	}
	return files, export.Write(files)
}
