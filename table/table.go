package table

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/evonas/evonas/genome"
)

// Metrics a table may hold: the validation metric's name in the header is
// "val_" + one of these, then "_K" for repeat K.
var metrics = []string{"acc", "mse", "loss", "r2"}

// Table is a tabular benchmark: every genome of a discrete space with
// several repeated evaluations of one validation metric. Rows are numbered
// as the space's Grid numbers genomes, so a genome is looked up by an
// integer index.
type Table struct {
	Name    string // the file's base name without .csv and .gz
	File    string // as given to Load
	Metric  string // the header's metric: val_acc, val_mse, val_loss or val_r2
	Repeats int

	space  genome.Space
	grid   *genome.Grid
	vals   []float64 // vals[row*Repeats+k]: repeat k of the validation metric
	test   []float64 // the same for the test metric, or nil
	trainS []float64 // the same for training seconds, or nil
	params []int     // per row, or nil
	mean   []float64 // per row: mean of vals over the repeats
}

// Error is a mistake in a table file, reported as "file:line: column
// "name": message" (line 1 is the header; 0 when the mistake is the
// table's as a whole).
type Error struct {
	File   string
	Line   int
	Column string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %q", e.Column)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// Maximize reports whether a higher metric is better (accuracy, R²).
func (t *Table) Maximize() bool { return t.Metric == "val_acc" || t.Metric == "val_r2" }

// Len returns the number of rows.
func (t *Table) Len() int { return len(t.mean) }

// Space returns the table's grid as a search space: every gene a list of
// the values the table has, or fixed where the table has no column for it.
func (t *Table) Space() genome.Space { return t.space }

// Grid returns the numbering of the table's rows.
func (t *Table) Grid() *genome.Grid { return t.grid }

// Index returns the row of g, or false if g is not in the table.
func (t *Table) Index(g genome.Genome) (int, bool) { return t.grid.Index(g) }

// Genome returns the configuration of a row.
func (t *Table) Genome(row int) genome.Genome { return t.grid.Genome(row) }

// Value returns repeat k of a row's validation metric.
func (t *Table) Value(row, k int) float64 { return t.vals[row*t.Repeats+k] }

// Mean returns a row's validation metric averaged over the repeats.
func (t *Table) Mean(row int) float64 { return t.mean[row] }

// Test returns repeat k of a row's test metric, if the table has one.
func (t *Table) Test(row, k int) (float64, bool) {
	if t.test == nil {
		return math.NaN(), false
	}
	return t.test[row*t.Repeats+k], true
}

// TrainSeconds returns the training time of repeat k of a row, or 0.
func (t *Table) TrainSeconds(row, k int) float64 {
	if t.trainS == nil {
		return 0
	}
	return t.trainS[row*t.Repeats+k]
}

// Params returns a row's parameter count, or 0 if the table has none.
func (t *Table) Params(row int) int {
	if t.params == nil {
		return 0
	}
	return t.params[row]
}

// Fitness turns a metric value into the fitness a search minimizes: the
// value itself for a loss, 1 - value for accuracy and R² (as evonas scores
// a trained candidate).
func (t *Table) Fitness(v float64) float64 {
	if t.Maximize() {
		return 1 - v
	}
	return v
}

// Load reads a table from a CSV file, gzip'd or not (told by its first
// bytes). Every mistake is an *Error naming the file, the line and the
// column.
func Load(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("table: %w", err)
	}
	defer f.Close()
	t, err := Read(f, path)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Read reads a table from r; file names it in errors and gives its Name.
func Read(r io.Reader, file string) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("table: %s: %w", file, err)
	}
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, &Error{File: file, Msg: "gzip: " + err.Error()}
		}
		var out bytes.Buffer
		// The gzip trailer holds the size modulo 2^32: one allocation
		// for any table that fits in memory.
		if n := len(data); n >= 4 {
			out.Grow(int(binary.LittleEndian.Uint32(data[n-4:])) + bytes.MinRead)
		}
		if _, err := out.ReadFrom(zr); err != nil {
			return nil, &Error{File: file, Msg: "gzip: " + err.Error()}
		}
		data = out.Bytes()
	}
	return parse(data, file)
}

// Name returns the table name of a file: its base name without .gz and
// .csv.
func Name(file string) string {
	n := filepath.Base(file)
	n = strings.TrimSuffix(n, ".gz")
	return strings.TrimSuffix(n, ".csv")
}

// column kinds
const (
	colUnits = iota
	colActivation
	colDropout
	colDepth
	colWidth
	colLR
	colSchedule
	colBatch
	colL2
	colOptimizer
	colVal
	colTest
	colTrainS
	colParams
)

type column struct {
	name  string
	kind  int
	k     int // layer (1-based) or repeat (0-based)
	index int // position in the header
}

// header parses the header line into columns and checks that they make a
// table: known names, one metric with repeats 0..R-1, optional test and
// train_s repeats alike, per-layer columns for layers 1..n.
func header(fields []string, file string) (cols []column, metric string, repeats int, err error) {
	bad := func(col, format string, args ...any) (cols []column, metric string, repeats int, err error) {
		return nil, "", 0, &Error{File: file, Line: 1, Column: col, Msg: fmt.Sprintf(format, args...)}
	}
	seen := map[string]bool{}
	for i, name := range fields {
		if seen[name] {
			return bad(name, "duplicate column")
		}
		seen[name] = true
		c := column{name: name, index: i, kind: -1}
		switch name {
		case "depth":
			c.kind = colDepth
		case "width":
			c.kind = colWidth
		case "lr":
			c.kind = colLR
		case "lr_schedule":
			c.kind = colSchedule
		case "batch":
			c.kind = colBatch
		case "l2":
			c.kind = colL2
		case "optimizer":
			c.kind = colOptimizer
		case "params":
			c.kind = colParams
		}
		if c.kind < 0 {
			base, num, ok := cutNumber(name)
			switch {
			case !ok:
			case base == "units" && num >= 1:
				c.kind, c.k = colUnits, num
			case base == "activation" && num >= 1:
				c.kind, c.k = colActivation, num
			case base == "dropout" && num >= 1:
				c.kind, c.k = colDropout, num
			case base == "train_s":
				c.kind, c.k = colTrainS, num
			case strings.HasPrefix(base, "val_") && slices.Contains(metrics, base[4:]):
				if metric != "" && metric != base {
					return bad(name, "a second metric (the table's is %s): one metric per table", metric)
				}
				metric = base
				c.kind, c.k = colVal, num
			case strings.HasPrefix(base, "test_") && slices.Contains(metrics, base[5:]):
				c.kind, c.k = colTest, num
			}
		}
		if c.kind < 0 {
			return bad(name, "unknown column (want genes units_K, activation_K, dropout_K, depth, width, lr, lr_schedule, batch, l2, optimizer; repeats val_<metric>_K with metric acc, mse, loss or r2; optional test_<metric>_K, train_s_K, params)")
		}
		cols = append(cols, c)
	}
	if metric == "" {
		return bad("", "no metric column (want val_acc_K, val_mse_K, val_loss_K or val_r2_K for K = 0, 1, ...)")
	}
	count := func(kind int) (n, max int) {
		max = -1
		for _, c := range cols {
			if c.kind == kind {
				n++
				max = maxInt(max, c.k)
			}
		}
		return n, max
	}
	nVal, maxVal := count(colVal)
	repeats = maxVal + 1
	if nVal != repeats {
		for k := range repeats {
			if !seen[fmt.Sprintf("%s_%d", metric, k)] {
				return bad(fmt.Sprintf("%s_%d", metric, k), "missing: repeats must be numbered 0 to %d", repeats-1)
			}
		}
	}
	for _, kind := range []struct {
		kind   int
		prefix string
	}{{colTest, "test_" + metric[4:]}, {colTrainS, "train_s"}} {
		n, _ := count(kind.kind)
		if n == 0 {
			continue
		}
		for _, c := range cols {
			if c.kind == kind.kind && (c.k >= repeats || !strings.HasPrefix(c.name, kind.prefix+"_")) {
				return bad(c.name, "does not match a repeat of %s (%s_0 to %s_%d)", metric, kind.prefix, kind.prefix, repeats-1)
			}
		}
		for k := range repeats {
			if name := fmt.Sprintf("%s_%d", kind.prefix, k); !seen[name] {
				return bad(name, "missing: the table has %s_0 to %s_%d", metric, metric, repeats-1)
			}
		}
	}
	_, layers := count(colUnits)
	for _, kind := range []struct {
		kind int
		name string
	}{{colUnits, "units"}, {colActivation, "activation"}, {colDropout, "dropout"}} {
		n, max := count(kind.kind)
		if n == 0 {
			continue
		}
		if kind.kind != colUnits && max > maxInt(layers, 1) && layers > 0 {
			return bad(fmt.Sprintf("%s_%d", kind.name, max), "beyond the last layer (units_%d)", layers)
		}
		if kind.kind != colUnits && layers == 0 {
			layers = max
		}
		for k := 1; k <= layers; k++ {
			if name := fmt.Sprintf("%s_%d", kind.name, k); !seen[name] {
				return bad(name, "missing: per-layer columns run from 1 to the number of layers")
			}
		}
	}
	if seen["width"] && seen["units_1"] {
		return bad("width", "exclusive with units_K: width is every layer's shared width")
	}
	if seen["width"] && !seen["depth"] {
		return bad("width", "needs a depth column")
	}
	return cols, metric, repeats, nil
}

// cutNumber splits "name_12" into "name" and 12.
func cutNumber(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, '_')
	if i < 0 || i == len(s)-1 {
		return "", 0, false
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || n < 0 || s[i+1] == '+' || s[i+1] == '-' {
		return "", 0, false
	}
	return s[:i], n, true
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// levels collects a gene column's distinct values as text, in order of
// appearance, with the line each first appears on (for errors); rows hold
// indices into it.
type levels struct {
	index map[string]int
	text  []string
	line  []int32
}

func (l *levels) id(b []byte, line int) int {
	if i, ok := l.index[string(b)]; ok {
		return i
	}
	s := string(b)
	l.index[s] = len(l.text)
	l.text = append(l.text, s)
	l.line = append(l.line, int32(line))
	return len(l.text) - 1
}

// parse reads a whole table. It works on the raw bytes: one pass splits
// rows and fields, reads numbers and maps each gene value to a level; the
// grid then follows from the levels, and every row is placed at its grid
// index.
func parse(data []byte, file string) (*Table, error) {
	errAt := func(line int, col, format string, args ...any) error {
		return &Error{File: file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	}
	lineEnd := func(b []byte) ([]byte, []byte) {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return b, nil
		}
		return b[:i], b[i+1:]
	}
	first, rest := lineEnd(data)
	first = bytes.TrimSuffix(bytes.TrimPrefix(first, []byte("\ufeff")), []byte("\r"))
	if len(bytes.TrimSpace(first)) == 0 {
		return nil, errAt(1, "", "empty table: want a header line")
	}
	names := strings.Split(string(first), ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	cols, metric, repeats, err := header(names, file)
	if err != nil {
		return nil, err
	}
	nc := len(cols)
	var geneCols []column
	for _, c := range cols {
		if c.kind <= colOptimizer {
			geneCols = append(geneCols, c)
		}
	}
	lv := make([]levels, nc)
	for i := range lv {
		lv[i].index = map[string]int{}
	}
	var (
		ids    []int32 // per row, per gene column: level id, or -1 for an empty cell
		vals   []float64
		test   []float64
		trainS []float64
		params []int
		lines  []int32
	)
	hasTest, hasTrainS, hasParams := false, false, false
	for _, c := range cols {
		switch c.kind {
		case colTest:
			hasTest = true
		case colTrainS:
			hasTrainS = true
		case colParams:
			hasParams = true
		}
	}
	// Sized once from the number of lines.
	est := bytes.Count(rest, []byte{'\n'}) + 1
	ids = make([]int32, 0, est*len(geneCols))
	vals = make([]float64, 0, est*repeats)
	lines = make([]int32, 0, est)
	if hasTest {
		test = make([]float64, 0, est*repeats)
	}
	if hasTrainS {
		trainS = make([]float64, 0, est*repeats)
	}
	if hasParams {
		params = make([]int, 0, est)
	}
	fields := make([][]byte, nc)
	rowVals := make([]float64, repeats)
	rowTest := make([]float64, repeats)
	rowTrain := make([]float64, repeats)
	line := 1
	for len(rest) > 0 {
		var l []byte
		l, rest = lineEnd(rest)
		line++
		l = bytes.TrimSuffix(l, []byte("\r"))
		if len(l) == 0 {
			continue
		}
		if bytes.IndexByte(l, '"') >= 0 {
			return nil, errAt(line, "", "quoted field: table values are plain names and numbers")
		}
		n := 0
		for n < nc {
			i := bytes.IndexByte(l, ',')
			if i < 0 {
				fields[n] = l
				n++
				l = nil
				break
			}
			fields[n] = l[:i]
			l = l[i+1:]
			n++
		}
		if n < nc || l != nil {
			got := n
			if l != nil {
				got += 1 + bytes.Count(l, []byte(","))
			}
			return nil, errAt(line, "", "%d fields, the header has %d", got, nc)
		}
		for _, c := range cols {
			f := bytes.TrimSpace(fields[c.index])
			switch c.kind {
			case colVal, colTest, colTrainS:
				if len(f) == 0 {
					return nil, errAt(line, c.name, "empty: every repeat needs a value")
				}
				v, err := strconv.ParseFloat(string(f), 64)
				if err != nil || math.IsNaN(v) {
					return nil, errAt(line, c.name, "%q is not a number", f)
				}
				switch c.kind {
				case colVal:
					rowVals[c.k] = v
				case colTest:
					rowTest[c.k] = v
				default:
					rowTrain[c.k] = v
				}
			case colParams:
				v, err := strconv.Atoi(string(f))
				if err != nil || v < 0 {
					return nil, errAt(line, c.name, "%q is not a parameter count", f)
				}
				params = append(params, v)
			}
		}
		for _, c := range geneCols {
			f := bytes.TrimSpace(fields[c.index])
			if len(f) == 0 {
				ids = append(ids, -1)
				continue
			}
			ids = append(ids, int32(lv[c.index].id(f, line)))
		}
		vals = append(vals, rowVals...)
		if hasTest {
			test = append(test, rowTest...)
		}
		if hasTrainS {
			trainS = append(trainS, rowTrain...)
		}
		lines = append(lines, int32(line))
	}
	if len(lines) == 0 {
		return nil, errAt(0, "", "no rows")
	}

	// The space: each gene column's values, parsed and sorted.
	g := newGenes(cols, lv)
	if err := g.parseLevels(file); err != nil {
		return nil, err
	}
	space := g.space()
	if err := space.Validate(); err != nil {
		return nil, &Error{File: file, Msg: "the table's grid is not a search space: " + strings.ReplaceAll(err.Error(), "\n", "; ")}
	}
	grid, err := genome.NewGrid(space)
	if err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	rows := len(lines)
	t := &Table{Name: Name(file), File: file, Metric: metric, Repeats: repeats, space: space, grid: grid}
	size := grid.Size()
	t.vals = make([]float64, size*repeats)
	if hasTest {
		t.test = make([]float64, size*repeats)
	}
	if hasTrainS {
		t.trainS = make([]float64, size*repeats)
	}
	if hasParams {
		t.params = make([]int, size)
	}
	at := make([]int32, size) // line of each placed row, 0 = none yet
	ng := len(geneCols)
	var x genome.Genome
	for r := range rows {
		row := ids[r*ng : (r+1)*ng]
		if err := g.genome(&x, row, int(lines[r]), file); err != nil {
			return nil, err
		}
		i, ok := grid.Index(x)
		if !ok {
			// Cannot happen: every value comes from the levels.
			return nil, errAt(int(lines[r]), "", "configuration %s is outside the table's grid", x.Key())
		}
		if at[i] != 0 {
			return nil, errAt(int(lines[r]), "", "the same configuration as line %d", at[i])
		}
		at[i] = lines[r]
		copy(t.vals[i*repeats:], vals[r*repeats:(r+1)*repeats])
		if hasTest {
			copy(t.test[i*repeats:], test[r*repeats:(r+1)*repeats])
		}
		if hasTrainS {
			copy(t.trainS[i*repeats:], trainS[r*repeats:(r+1)*repeats])
		}
		if hasParams {
			t.params[i] = params[r]
		}
	}
	if rows < size {
		missing := slices.Index(at, 0)
		return nil, &Error{File: file, Msg: fmt.Sprintf("the grid has holes: %d of its %d configurations have no row, such as %s",
			size-rows, size, g.describe(grid.Genome(missing)))}
	}
	t.mean = make([]float64, size)
	for i := range size {
		var sum float64
		for _, v := range t.vals[i*repeats : (i+1)*repeats] {
			sum += v
		}
		t.mean[i] = sum / float64(repeats)
	}
	t.widthParams()
	return t, nil
}

// genes turns gene columns' levels into a space and rows into genomes.
type genes struct {
	cols   []column // gene columns, in header order
	levels []levels // by header index

	// per gene column (same order as cols): parsed value of each level
	ints    [][]int
	floats  [][]float64
	strs    [][]string
	layers  int // per-layer columns: layers 1..layers
	hasCol  map[int]bool
	depthLo int
	depthHi int
}

func newGenes(cols []column, lv []levels) *genes {
	g := &genes{levels: lv, hasCol: map[int]bool{}}
	for _, c := range cols {
		if c.kind <= colOptimizer {
			g.cols = append(g.cols, c)
			g.hasCol[c.kind] = true
			if c.kind == colUnits || c.kind == colActivation || c.kind == colDropout {
				g.layers = maxInt(g.layers, c.k)
			}
		}
	}
	return g
}

// parseLevels parses every level of every gene column, reporting the first
// line of a bad value: one that does not parse, or that no search space
// takes (genome.Space.Validate's bounds, checked here so that the error
// names the line and the column).
func (g *genes) parseLevels(file string) error {
	g.ints = make([][]int, len(g.cols))
	g.floats = make([][]float64, len(g.cols))
	g.strs = make([][]string, len(g.cols))
	for j, c := range g.cols {
		lv := g.levels[c.index]
		for li, text := range lv.text {
			bad := func(want string) error {
				return &Error{File: file, Line: int(lv.line[li]), Column: c.name, Msg: fmt.Sprintf("value %q: %s", text, want)}
			}
			switch c.kind {
			case colUnits, colWidth, colBatch, colDepth:
				v, err := strconv.Atoi(text)
				lo := 1
				if c.kind == colDepth {
					lo = 0
				}
				if err != nil || v < lo {
					return bad(fmt.Sprintf("want an integer >= %d", lo))
				}
				g.ints[j] = append(g.ints[j], v)
			case colDropout, colLR, colL2:
				v, err := strconv.ParseFloat(text, 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					return bad("want a number")
				}
				switch {
				case c.kind == colLR && v <= 0:
					return bad("want a learning rate above 0")
				case c.kind == colDropout && (v < 0 || v >= 1):
					return bad("want a dropout rate in [0, 1)")
				case c.kind == colL2 && v < 0:
					return bad("want an l2 of at least 0")
				}
				g.floats[j] = append(g.floats[j], v)
			case colActivation:
				if !slices.Contains(genome.KnownActivations(), text) {
					return bad("want one of " + strings.Join(genome.KnownActivations(), ", "))
				}
				g.strs[j] = append(g.strs[j], text)
			case colOptimizer:
				if !slices.Contains(genome.KnownOptimizers(), text) {
					return bad("want one of " + strings.Join(genome.KnownOptimizers(), ", "))
				}
				g.strs[j] = append(g.strs[j], text)
			case colSchedule:
				if !slices.Contains(genome.KnownSchedules(), text) {
					return bad("want one of " + strings.Join(genome.KnownSchedules(), ", "))
				}
				g.strs[j] = append(g.strs[j], text)
			}
		}
	}
	return nil
}

// Values a gene without a column takes.
const (
	defaultActivation = "relu"
	defaultOptimizer  = "adam"
	defaultLR         = 1e-3
	defaultBatch      = 32
)

// space builds the grid's search space: per gene, the sorted union of its
// columns' values.
func (g *genes) space() genome.Space {
	ints := func(kind int) []int {
		var out []int
		for j, c := range g.cols {
			if c.kind == kind {
				out = append(out, g.ints[j]...)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	floats := func(kind int) []float64 {
		var out []float64
		for j, c := range g.cols {
			if c.kind == kind {
				out = append(out, g.floats[j]...)
			}
		}
		for i := range out {
			if out[i] == 0 {
				out[i] = 0 // -0 and 0 are one value
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	strs := func(kind int, def string) []string {
		var out []string
		for j, c := range g.cols {
			if c.kind == kind {
				out = append(out, g.strs[j]...)
			}
		}
		if len(out) == 0 && def != "" {
			return []string{def}
		}
		sort.Strings(out)
		return slices.Compact(out)
	}
	s := genome.Space{
		Activations: strs(colActivation, defaultActivation),
		Optimizers:  strs(colOptimizer, defaultOptimizer),
		Schedules:   strs(colSchedule, ""),
		Batches:     ints(colBatch),
		Width:       genome.IntRange{Min: 1, Max: 1},
	}
	if len(s.Batches) == 0 {
		s.Batches = []int{defaultBatch}
	}
	s.Layers = genome.IntRange{Min: g.layers, Max: g.layers}
	if d := ints(colDepth); len(d) > 0 { // none when every depth cell is empty: reading a row says so
		s.Layers = genome.IntRange{Min: d[0], Max: d[len(d)-1]}
	}
	if w := append(ints(colUnits), ints(colWidth)...); len(w) > 0 {
		s.WidthChoices = w
		s.Width = genome.IntRange{Min: w[0], Max: w[len(w)-1]}
	}
	s.SharedWidth = g.hasCol[colWidth]
	if d := floats(colDropout); len(d) > 0 {
		s.DropoutChoices = d
	}
	if lr := floats(colLR); len(lr) > 0 {
		s.LRChoices = lr
	} else {
		s.LR = genome.FloatRange{Min: defaultLR, Max: defaultLR}
	}
	if l2 := floats(colL2); len(l2) > 0 {
		s.L2Choices = l2
	}
	return s
}

// genome fills x from a row's level ids. A per-layer cell is empty exactly
// for the layers beyond the row's depth.
func (g *genes) genome(x *genome.Genome, ids []int32, line int, file string) error {
	depth, shared := g.layers, 1
	*x = genome.Genome{Layers: x.Layers[:0], LR: defaultLR, Batch: defaultBatch, Optimizer: defaultOptimizer}
	for j, c := range g.cols {
		if ids[j] < 0 && c.kind != colUnits && c.kind != colActivation && c.kind != colDropout {
			return &Error{File: file, Line: line, Column: c.name, Msg: "empty"}
		}
		switch c.kind {
		case colDepth:
			depth = g.ints[j][ids[j]]
		case colWidth:
			shared = g.ints[j][ids[j]]
		}
	}
	if g.layers > 0 && depth > g.layers {
		return &Error{File: file, Line: line, Column: "depth", Msg: fmt.Sprintf("%d, beyond the per-layer columns (1 to %d)", depth, g.layers)}
	}
	if cap(x.Layers) >= depth {
		x.Layers = x.Layers[:depth]
	} else {
		x.Layers = make([]genome.Layer, depth)
	}
	for i := range x.Layers {
		x.Layers[i] = genome.Layer{Units: shared, Activation: defaultActivation}
	}
	for j, c := range g.cols {
		id := ids[j]
		switch c.kind {
		case colUnits, colActivation, colDropout:
			if c.k > depth {
				if id >= 0 {
					return &Error{File: file, Line: line, Column: c.name, Msg: fmt.Sprintf("a value beyond the row's depth %d (leave it empty)", depth)}
				}
				continue
			}
			if id < 0 {
				return &Error{File: file, Line: line, Column: c.name, Msg: fmt.Sprintf("empty, within the row's depth %d", depth)}
			}
			l := &x.Layers[c.k-1]
			switch c.kind {
			case colUnits:
				l.Units = g.ints[j][id]
			case colActivation:
				l.Activation = g.strs[j][id]
			default:
				l.Dropout = g.floats[j][id]
			}
		case colLR:
			x.LR = g.floats[j][id]
		case colL2:
			x.L2 = g.floats[j][id]
		case colBatch:
			x.Batch = g.ints[j][id]
		case colOptimizer:
			x.Optimizer = g.strs[j][id]
		case colSchedule:
			x.Schedule = g.strs[j][id]
		}
	}
	return nil
}

// describe writes a genome as the table's columns would name it.
func (g *genes) describe(x genome.Genome) string {
	var parts []string
	for _, c := range g.cols {
		var v string
		switch c.kind {
		case colUnits, colActivation, colDropout:
			if c.k > len(x.Layers) {
				continue
			}
			l := x.Layers[c.k-1]
			switch c.kind {
			case colUnits:
				v = strconv.Itoa(l.Units)
			case colActivation:
				v = l.Activation
			default:
				v = fmtFloat(l.Dropout)
			}
		case colDepth:
			v = strconv.Itoa(len(x.Layers))
		case colWidth:
			v = strconv.Itoa(x.Layers[0].Units)
		case colLR:
			v = fmtFloat(x.LR)
		case colL2:
			v = fmtFloat(x.L2)
		case colBatch:
			v = strconv.Itoa(x.Batch)
		case colOptimizer:
			v = x.Optimizer
		case colSchedule:
			v = genome.ScheduleName(x.Schedule)
		}
		parts = append(parts, c.name+"="+v)
	}
	return strings.Join(parts, ", ")
}

func fmtFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// HasTrainSeconds says whether the table has train_s columns.
func (t *Table) HasTrainSeconds() bool { return t.trainS != nil }
