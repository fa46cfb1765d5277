package dataset

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Task is the kind of prediction a dataset asks for.
type Task string

// The tasks.
const (
	Binary     Task = "binary"
	Multiclass Task = "multiclass"
	Regression Task = "regression"
)

// Split is one part of a prepared dataset.
type Split struct {
	X    []float64 // row-major N x D, standardized
	Y    []float64 // class index (0..k-1) for classification; standardized target for regression
	N, D int
}

// Data is a dataset ready for training: encoded, split and standardized.
type Data struct {
	Name     string // built-in name or file base name
	Task     Task
	Features []string // encoded feature names (numeric name, or "col=category" for one-hot)
	Classes  []string // class labels; Y value i means Classes[i]; nil for regression

	Train, Val, Test Split

	Prep *Preprocessor

	// Notes say what a user should know about how the data were read,
	// such as a text column with nearly a category per row (an identifier,
	// one-hot encoded into as many inputs). Each is one line naming the
	// source and column.
	Notes []string
}

// Fractions are the shares of rows for training, validation and test.
type Fractions struct{ Train, Val, Test float64 }

// Options control Load and Prepare. The zero value asks for the defaults.
type Options struct {
	Target  string    // target column name; "" = last column
	Task    Task      // "" = detect
	Missing string    // "" or "error": a missing value is an error; "drop": drop the row; "mean": impute from the training split
	Split   Fractions // zero value = 0.7/0.15/0.15 (seed-sum: 1000/200/200 of 1400)
	Seed    uint64    // split shuffling and generated data
	Rows    int       // generated data only: number of rows; 0 = default
	Noise   float64   // generated data only: noise level; 0 = default
	// Text names columns of a CSV file to read as text even when every
	// value is a number, each value as written (an ID written 007 stays
	// 007); Prepare would one-hot encode them.
	Text []string
	// Ignore names columns to leave out, as if the file did not hold them:
	// an identifier, a column that leaks the target, free text. They are
	// neither inputs nor read (a missing value in one drops no row).
	Ignore []string
}

// Missing-value policies for Options.Missing.
const (
	MissingError = "error"
	MissingDrop  = "drop"
	MissingMean  = "mean"
)

// maxClasses bounds the distinct values a numeric target may have when
// Options.Task asks for classification.
const (
	maxDetectClasses = 20
	maxClasses       = 1000
)

// manyCategories is the number of categories above which a text column
// with more categories than half its rows is noted as an identifier.
const manyCategories = 20

// splitStream is the PCG stream for split shuffling; generated data uses
// another, so the two draw independent numbers from the same seed.
const splitStream = 0x5bd1e9955bd1e995

var defaultSplit = Fractions{Train: 0.7, Val: 0.15, Test: 0.15}

// Prepare encodes, splits and standardizes t as described in the package
// documentation. It does not modify t.
func Prepare(t *Table, opts Options) (*Data, error) {
	return prepare(t, opts, defaultSplit)
}

func prepare(t *Table, opts Options, split Fractions) (*Data, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	src := t.Source
	switch opts.Missing {
	case "", MissingError, MissingDrop, MissingMean:
	default:
		return nil, inputErrorf(src, "unknown missing-value policy %q (want error, drop or mean)", opts.Missing)
	}
	switch opts.Task {
	case "", Binary, Multiclass, Regression:
	default:
		return nil, inputErrorf(src, "unknown task %q (want binary, multiclass or regression)", opts.Task)
	}
	if opts.Split != (Fractions{}) {
		split = opts.Split
	}
	if err := checkFractions(src, split); err != nil {
		return nil, err
	}

	target := len(t.Columns) - 1
	if opts.Target != "" {
		target = slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == opts.Target })
		if target < 0 {
			return nil, inputErrorf(src, "target column %q %s", opts.Target, t.notFound(opts.Target))
		}
	}
	if len(opts.Ignore) > 0 {
		// (The target found first: ignoring the last column must not
		// make the one before it the target.)
		name := t.Columns[target].Name
		var err error
		if t, err = t.without(opts.Ignore, name); err != nil {
			return nil, err
		}
		if len(t.Columns) < 2 {
			return nil, inputErrorf(src, "no input columns left besides the target %q (ignored: %s)", name, strings.Join(quoteAll(opts.Ignore), ", "))
		}
		target = slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == name })
	}
	if len(t.Columns) < 2 {
		return nil, inputErrorf(src, "no input columns besides the target %q", t.Columns[target].Name)
	}
	t, err := numericColumns(t, opts.Missing, opts.Text)
	if err != nil {
		return nil, err
	}
	for j := range t.Columns {
		if c := &t.Columns[j]; allMissing(c) {
			return nil, &InputError{Source: src, Column: c.Name, Msg: "no values (all missing)"}
		}
	}
	tc := &t.Columns[target]

	rows, err := keptRows(t, target, opts.Missing)
	if err != nil {
		return nil, err
	}

	task, classes, y, err := targetValues(t, tc, rows, opts.Task)
	if err != nil {
		return nil, err
	}

	// Split rows into train, validation and test.
	rng := rand.New(rand.NewPCG(opts.Seed, splitStream))
	var groups [][]int
	if task == Regression {
		groups = [][]int{rows}
	} else {
		groups = make([][]int, len(classes))
		for _, i := range rows {
			c := int(y[i])
			groups[c] = append(groups[c], i)
		}
	}
	sizes := make([]int, len(groups))
	for c, g := range groups {
		sizes[c] = len(g)
	}
	ntr, nva, short := allocate(sizes, split)
	if short >= 0 {
		fr := fmt.Sprintf("%.2f/%.2f/%.2f", split.Train, split.Val, split.Test)
		parts := 0
		for _, f := range []float64{split.Train, split.Val, split.Test} {
			if f > 0 {
				parts++
			}
		}
		if task == Regression {
			return nil, inputErrorf(src, "%s, too few for a %s split (it needs a row in each of its %d parts)", plural(sizes[short], "row"), fr, parts)
		}
		msg := fmt.Sprintf("class %q has %s, too few for a stratified %s split (each class needs a row in each of its %d parts)", classes[short], plural(sizes[short], "row"), fr, parts)
		if tc.Str == nil && opts.Task == "" && len(classes) > 2 {
			msg += fmt.Sprintf("; the target %q holds whole numbers, read as %d classes: --task regression if it is a quantity", tc.Name, len(classes))
		}
		return nil, inputErrorf(src, "%s", msg)
	}
	var parts [3][]int
	for c, g := range groups {
		g = slices.Clone(g)
		rng.Shuffle(len(g), func(a, b int) { g[a], g[b] = g[b], g[a] })
		parts[0] = append(parts[0], g[:ntr[c]]...)
		parts[1] = append(parts[1], g[ntr[c]:ntr[c]+nva[c]]...)
		parts[2] = append(parts[2], g[ntr[c]+nva[c]:]...)
	}
	for _, p := range parts {
		rng.Shuffle(len(p), func(a, b int) { p[a], p[b] = p[b], p[a] })
	}
	train := parts[0]
	var notes []string
	if task != Regression {
		if n := majorityNote(src, classes, y, parts[1]); n != "" {
			notes = append(notes, n)
		}
	}

	// Encode the inputs.
	prep := &Preprocessor{Target: tc.Name, Task: task}
	if task != Regression {
		prep.Classes = classes
	}
	var cols []inputCol
	var features []string
	for j := range t.Columns {
		if j == target {
			continue
		}
		c := &t.Columns[j]
		in := Input{Name: c.Name}
		var col inputCol
		if c.Str == nil {
			col.num = c.Num
			if opts.Missing == MissingMean {
				if col.num, err = imputeMean(t, c, rows, train); err != nil {
					return nil, err
				}
			}
			if rowNumbers(c.Num) {
				notes = append(notes, fmt.Sprintf("%s: column %q numbers the rows (%g to %g, one more each row): as an input it tells only where a row sits in the file; if it is an identifier, ignore it (data.ignore in a config, --ignore on the command line)",
					src, c.Name, c.Num[0], c.Num[len(c.Num)-1]))
			}
			in.Mean, in.Scale = meanScale(col.num, train)
			if math.IsInf(in.Mean, 0) || math.IsNaN(in.Mean) || math.IsInf(in.Scale, 0) {
				return nil, &InputError{Source: src, Column: c.Name, Msg: "values too large to standardize"}
			}
			features = append(features, c.Name)
		} else {
			col.str = c.Str
			if opts.Missing == MissingMean {
				if col.str, err = imputeMode(t, c, rows, train); err != nil {
					return nil, err
				}
			}
			in.Categories = categories(c.Str, rows)
			if k := len(in.Categories); k > manyCategories && allDates(in.Categories) {
				notes = append(notes, fmt.Sprintf("%s: column %q holds dates (%d distinct values in %d rows), one-hot encoded as %d inputs: their order is lost and a date no training row holds is all zeros; ignore it (data.ignore in a config, --ignore on the command line), or replace it with a number such as days since a fixed date",
					src, c.Name, k, len(rows), k))
			} else if k > manyCategories && 2*k > len(rows) {
				notes = append(notes, fmt.Sprintf("%s: column %q has %d distinct values in %d rows, one-hot encoded as %d inputs; an identifier or free text cannot generalize: ignore it (data.ignore in a config, --ignore on the command line)",
					src, c.Name, k, len(rows), k))
			}
			col.index = categoryIndex(in.Categories)
			for _, cat := range in.Categories {
				features = append(features, c.Name+"="+cat)
			}
		}
		prep.Inputs = append(prep.Inputs, in)
		cols = append(cols, col)
	}

	if task == Regression {
		prep.TargetMean, prep.TargetScale = meanScale(y, train)
		if math.IsInf(prep.TargetMean, 0) || math.IsNaN(prep.TargetMean) || math.IsInf(prep.TargetScale, 0) {
			return nil, &InputError{Source: src, Column: tc.Name, Msg: "target values too large to standardize"}
		}
	}

	d := &Data{
		Name:     baseName(src),
		Task:     task,
		Features: features,
		Classes:  prep.Classes,
		Prep:     prep,
		Notes:    notes,
	}
	for k, s := range []*Split{&d.Train, &d.Val, &d.Test} {
		idx := parts[k]
		s.N, s.D = len(idx), len(features)
		if s.X, err = prep.encode(t, cols, idx); err != nil {
			return nil, err
		}
		s.Y = make([]float64, len(idx))
		for r, i := range idx {
			s.Y[r] = y[i]
			if task == Regression {
				s.Y[r] = (y[i] - prep.TargetMean) / prep.TargetScale
				if math.IsInf(s.Y[r], 0) {
					return nil, rowError(t, i, tc.Name, "target value %g too large to standardize", y[i])
				}
			}
		}
	}
	return d, nil
}

// dateLayouts are the forms of date a text column is recognized by.
var dateLayouts = []string{"2006-01-02", "2006/01/02", "2006-01-02 15:04:05", "2006-01-02T15:04:05", time.RFC3339}

// allDates reports whether every value is a date (or a date and time) in
// one of dateLayouts.
func allDates(values []string) bool {
	for _, v := range values {
		ok := false
		for _, layout := range dateLayouts {
			if _, err := time.Parse(layout, v); err == nil {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return len(values) > 0
}

// majorityShare is the share of the validation rows at which the largest
// class is noted: a net that always answers it scores that accuracy.
const majorityShare = 0.75

// majorityNote says when one class holds majorityShare or more of the
// validation rows val, the accuracy a net answering it for every row
// scores there, and its balanced accuracy (1 / the classes present, which
// a run with objective.metric: balanced selects on); "" otherwise.
func majorityNote(src string, classes []string, y []float64, val []int) string {
	if len(val) == 0 {
		return ""
	}
	counts := make([]int, len(classes))
	for _, i := range val {
		counts[int(y[i])]++
	}
	c := 0
	for k, n := range counts {
		if n > counts[c] {
			c = k
		}
	}
	share := float64(counts[c]) / float64(len(val))
	if share < majorityShare {
		return ""
	}
	present := 0
	for _, n := range counts {
		if n > 0 {
			present++
		}
	}
	return fmt.Sprintf("%s: class %q is %d of the %d validation rows: a net that answers it for every row scores a validation accuracy of %.4f (a balanced accuracy of %.4f); judge plain accuracies against that, or select on balanced accuracy, the mean of the classes' recalls, with objective.metric: balanced",
		src, classes[c], counts[c], len(val), share, 1/float64(present))
}

// rowNumbers reports whether v counts the rows, each value one more than
// the one before it (an index written into the file), over more rows than
// a short table's coincidence.
func rowNumbers(v []float64) bool {
	if len(v) <= manyCategories || math.IsInf(v[0], 0) || v[0] != math.Trunc(v[0]) {
		return false
	}
	for i := 1; i < len(v); i++ {
		if v[i] != v[i-1]+1 {
			return false
		}
	}
	return true
}

// without returns t without the columns names, which must be columns of
// t other than target.
func (t *Table) without(names []string, target string) (*Table, error) {
	drop := make(map[string]bool, len(names))
	for _, name := range names {
		switch {
		case !slices.ContainsFunc(t.Columns, func(c Column) bool { return c.Name == name }):
			return nil, inputErrorf(t.Source, "column %q to ignore %s", name, t.notFound(name))
		case name == target:
			return nil, &InputError{Source: t.Source, Column: name, Msg: "the target cannot be ignored"}
		}
		drop[name] = true
	}
	out := *t
	out.Columns = slices.DeleteFunc(slices.Clone(t.Columns), func(c Column) bool { return drop[c.Name] })
	return &out, nil
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strconv.Quote(n)
	}
	return out
}

func checkFractions(src string, f Fractions) error {
	ok := func(v float64) bool { return v >= 0 && v <= 1 } // false for NaN
	if !ok(f.Train) || !ok(f.Val) || !ok(f.Test) || f.Train == 0 ||
		math.Abs(f.Train+f.Val+f.Test-1) > 1e-9 {
		return inputErrorf(src, "bad split %g/%g/%g: fractions must be >= 0, train > 0, and sum to 1", f.Train, f.Val, f.Test)
	}
	return nil
}

// numericColumns returns t with every mostly numeric text column read as
// numbers: a column whose non-missing values are more than half numbers
// (finite or not) is numeric, and a token in it that is not a finite number
// is a typo to report, not a category. With the drop or mean policy such a
// token is a missing value. Columns named in text (Options.Text) stay
// text. t is not modified; it is returned as is when no column changes.
func numericColumns(t *Table, policy string, text []string) (*Table, error) {
	var out *Table
	for j := range t.Columns {
		c := &t.Columns[j]
		if c.Str == nil || slices.Contains(text, c.Name) {
			continue
		}
		finite, numbers, present, bad := 0, 0, 0, -1
		for i, s := range c.Str {
			if s == "" {
				continue
			}
			present++
			switch numberKind(s) {
			case finiteNumber:
				finite++
				numbers++
			case nonFinite:
				numbers++
				fallthrough
			default:
				if bad < 0 {
					bad = i
				}
			}
		}
		if numbers*2 <= present {
			if err := commaNumbers(t, c, present); err != nil {
				return nil, err
			}
			continue
		}
		if policy == "" || policy == MissingError {
			s := c.Str[bad]
			what := "is not a number"
			if numberKind(s) == nonFinite {
				what = "is not a finite number"
			}
			return nil, rowError(t, bad, c.Name, "%q %s (%d of the column's %d values are; fix it, or treat such values as missing: --missing drop|mean, or data.missing in a config)",
				s, what, finite, present)
		}
		if out == nil {
			out = &Table{Source: t.Source, Lines: t.Lines, Columns: slices.Clone(t.Columns)}
		}
		num := make([]float64, len(c.Str))
		for i, s := range c.Str {
			v, kind := parseNumber(s)
			if kind != finiteNumber {
				v = math.NaN()
			}
			num[i] = v
		}
		out.Columns[j] = Column{Name: c.Name, Num: num}
	}
	if out == nil {
		return t, nil
	}
	return out, nil
}

// commaNumbers reports a text column whose values are mostly numbers
// written with a comma, as a thousands separator (1,234) or a decimal comma
// (1,5): read as text, each value would be a category of its own. present
// is the count of the column's non-missing values.
func commaNumbers(t *Table, c *Column, present int) error {
	n, first := 0, -1
	for i, s := range c.Str {
		if s == "" {
			continue
		}
		plain := strings.ReplaceAll(s, ",", "")
		if numberKind(plain) != finiteNumber {
			continue
		}
		n++
		if first < 0 && plain != s {
			first = i
		}
	}
	if first < 0 || n*2 <= present {
		return nil
	}
	return rowError(t, first, c.Name, "%q looks like a number written with a comma (%d of the column's %d values are numbers without their commas); evonas reads numbers without thousands separators and with . for decimals, such as 1234.5: save the file so",
		c.Str[first], n, present)
}

// plural is n and noun, in the plural unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// allMissing reports whether c holds no value at all.
func allMissing(c *Column) bool {
	for i := range c.len() {
		if !c.missing(i) {
			return false
		}
	}
	return true
}

// keptRows applies the missing-value policy that acts before splitting: it
// reports the first missing value, or drops the rows that have one.
func keptRows(t *Table, target int, policy string) ([]int, error) {
	n := t.Rows()
	// Scan column by column: row by row is several times slower on wide
	// tables such as mnist10k.
	missing := make([]bool, n)
	some := false
	for j := range t.Columns {
		c := &t.Columns[j]
		for i := range n {
			if c.missing(i) {
				missing[i], some = true, true
			}
		}
	}
	if !some {
		rows := make([]int, n)
		for i := range rows {
			rows[i] = i
		}
		return rows, nil
	}
	tc := &t.Columns[target]
	rows := make([]int, 0, n)
	for i := range n {
		switch {
		case !missing[i]:
			rows = append(rows, i)
		case policy == MissingDrop:
		case policy == MissingMean && !tc.missing(i):
			rows = append(rows, i)
		case policy == MissingMean:
			return nil, rowError(t, i, tc.Name, "missing target value (use --missing drop)")
		default:
			if tc.missing(i) {
				// A target is never imputed.
				return nil, rowError(t, i, tc.Name, "missing target value (drop the row: --missing drop, or data.missing in a config)")
			}
			j := slices.IndexFunc(t.Columns, func(c Column) bool { return c.missing(i) })
			return nil, rowError(t, i, t.Columns[j].Name, "missing value (drop or impute it: --missing drop|mean, or data.missing in a config)")
		}
	}
	if len(rows) == 0 {
		return nil, inputErrorf(t.Source, "no rows left after dropping rows with missing values")
	}
	return rows, nil
}

// targetValues decides the task and returns the target of every row: the
// class index for classification, the raw value for regression.
func targetValues(t *Table, tc *Column, rows []int, want Task) (Task, []string, []float64, error) {
	src := t.Source
	y := make([]float64, t.Rows())
	var classes []string
	if tc.Str != nil {
		if want == Regression {
			return "", nil, nil, &InputError{Source: src, Column: tc.Name, Msg: "regression needs a numeric target"}
		}
		set := make(map[string]int)
		for _, i := range rows {
			set[tc.Str[i]] = 0
		}
		classes = slices.Sorted(maps.Keys(set))
		for c, s := range classes {
			set[s] = c
		}
		for _, i := range rows {
			y[i] = float64(set[tc.Str[i]])
		}
	} else {
		if want == Regression {
			for _, i := range rows {
				y[i] = tc.Num[i]
			}
			return Regression, nil, y, nil
		}
		set := make(map[float64]int)
		integer := true
		for _, i := range rows {
			v := tc.Num[i]
			if v == 0 {
				v = 0 // fold -0 into 0
			}
			if _, ok := set[v]; !ok {
				set[v] = 0
				integer = integer && v == math.Trunc(v)
			}
			if (want == "" && len(set) > maxDetectClasses) || len(set) > maxClasses {
				break
			}
		}
		switch want {
		case "":
			if !integer || len(set) > maxDetectClasses {
				want = Regression
			}
		case Binary, Multiclass:
			if len(set) > maxClasses {
				return "", nil, nil, &InputError{Source: src, Column: tc.Name,
					Msg: fmt.Sprintf("more than %d distinct target values, too many for %s classification", maxClasses, want)}
			}
		}
		if want == Regression {
			for _, i := range rows {
				y[i] = tc.Num[i]
			}
			return Regression, nil, y, nil
		}
		values := slices.Sorted(maps.Keys(set))
		classes = make([]string, len(values))
		for c, v := range values {
			set[v] = c
			classes[c] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		for _, i := range rows {
			y[i] = float64(set[tc.Num[i]])
		}
	}
	switch {
	case len(classes) == 1:
		return "", nil, nil, &InputError{Source: src, Column: tc.Name, Msg: fmt.Sprintf("target has a single class %q", classes[0])}
	case want == Binary && len(classes) != 2:
		return "", nil, nil, &InputError{Source: src, Column: tc.Name,
			Msg: fmt.Sprintf("binary task needs 2 classes, target has %d", len(classes))}
	case want == "" && len(classes) == 2:
		want = Binary
	case want == "":
		want = Multiclass
	}
	return want, classes, y, nil
}

// allocate decides how many rows of each group (class) go to training and
// validation; test gets the rest. Totals over all groups are
// round(N*f.Train) and round(N*f.Val), each group gets close to its own share,
// and every group puts at least one row into each split with a non-zero
// fraction. short is the index of a group too small for that, or -1.
func allocate(sizes []int, f Fractions) (train, val []int, short int) {
	frac := [3]float64{f.Train, f.Val, f.Test}
	need := 0
	for _, v := range frac {
		if v > 0 {
			need++
		}
	}
	total := 0
	for c, n := range sizes {
		if n < need {
			return nil, nil, c
		}
		total += n
	}
	want := [2]int{int(math.Round(float64(total) * f.Train)), 0}
	want[0] = min(want[0], total)
	want[1] = min(int(math.Round(float64(total)*f.Val)), total-want[0])

	alloc := make([][3]int, len(sizes))
	left := make([]int, len(sizes))
	for c, n := range sizes {
		a := &alloc[c]
		lo := [3]int{}
		sum := 0
		for s, v := range frac {
			if v > 0 {
				lo[s] = 1
				a[s] = max(1, int(math.Floor(float64(n)*v+1e-9)))
			}
			sum += a[s]
		}
		for ; sum > n; sum-- { // the minimums overshot: trim the largest
			s := 0
			for k := range 3 {
				if a[k]-lo[k] > a[s]-lo[s] {
					s = k
				}
			}
			a[s]--
		}
		left[c] = n - sum
	}
	// Hand out the rows left over, one at a time, to the class and split
	// furthest below its share, while the split is below its total.
	var deficit [2]int
	for s := range 2 {
		deficit[s] = want[s]
		for c := range alloc {
			deficit[s] -= alloc[c][s]
		}
	}
	for {
		bs, bc, gap := -1, -1, 0.0
		for s := range 2 {
			if deficit[s] <= 0 {
				continue
			}
			for c, n := range sizes {
				g := float64(n)*frac[s] - float64(alloc[c][s])
				if left[c] > 0 && (bc < 0 || g > gap) {
					bs, bc, gap = s, c, g
				}
			}
		}
		if bc < 0 {
			break
		}
		alloc[bc][bs]++
		left[bc]--
		deficit[bs]--
	}
	train, val = make([]int, len(sizes)), make([]int, len(sizes))
	for c := range alloc {
		train[c], val[c] = alloc[c][0], alloc[c][1]
		if frac[2] == 0 {
			train[c] += left[c] // only if rounding left rows over
		}
	}
	return train, val, -1
}

// meanScale returns the mean and population standard deviation of v over
// rows; a zero deviation gives scale 1. Values all equal give their value
// and scale 1 even where their sum rounds: the computed deviation would be
// the rounding error (5.6e-17 for 0.3 in 14 rows), and a new value off the
// constant by 1e-8 would be standardized to 1e8.
func meanScale(v []float64, rows []int) (mean, scale float64) {
	if len(rows) > 0 && !slices.ContainsFunc(rows, func(i int) bool { return v[i] != v[rows[0]] }) {
		return v[rows[0]] + 0, 1 // + 0: -0 as 0, as the sum gave it
	}
	for _, i := range rows {
		mean += v[i]
	}
	mean /= float64(len(rows))
	var ss float64
	for _, i := range rows {
		d := v[i] - mean
		ss += d * d
	}
	scale = math.Sqrt(ss / float64(len(rows)))
	if scale == 0 {
		scale = 1
	}
	return mean, scale
}

// imputeMean returns c's values with missing ones replaced by the mean of
// the training rows.
func imputeMean(t *Table, c *Column, rows, train []int) ([]float64, error) {
	if !slices.ContainsFunc(rows, func(i int) bool { return math.IsNaN(c.Num[i]) }) {
		return c.Num, nil
	}
	sum, n := 0.0, 0
	for _, i := range train {
		if !math.IsNaN(c.Num[i]) {
			sum += c.Num[i]
			n++
		}
	}
	v := slices.Clone(c.Num)
	for _, i := range rows {
		if math.IsNaN(v[i]) {
			if n == 0 {
				return nil, rowError(t, i, c.Name, "missing value, and no training value to impute it from")
			}
			v[i] = sum / float64(n)
		}
	}
	return v, nil
}

// imputeMode returns c's values with missing ones replaced by the most
// frequent category of the training rows (the first in sorted order on a tie).
func imputeMode(t *Table, c *Column, rows, train []int) ([]string, error) {
	if !slices.ContainsFunc(rows, func(i int) bool { return c.Str[i] == "" }) {
		return c.Str, nil
	}
	count := make(map[string]int)
	for _, i := range train {
		if s := c.Str[i]; s != "" {
			count[s]++
		}
	}
	mode, best := "", 0
	for s, n := range count {
		if n > best || n == best && s < mode {
			mode, best = s, n
		}
	}
	v := slices.Clone(c.Str)
	for _, i := range rows {
		if v[i] == "" {
			if mode == "" {
				return nil, rowError(t, i, c.Name, "missing value, and no training value to impute it from")
			}
			v[i] = mode
		}
	}
	return v, nil
}

// categories returns the sorted distinct non-missing values of str in rows.
func categories(str []string, rows []int) []string {
	set := make(map[string]bool)
	for _, i := range rows {
		if str[i] != "" {
			set[str[i]] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// baseName returns a file's base name without .gz and .csv extensions.
func baseName(source string) string {
	b := filepath.Base(source)
	for _, ext := range []string{".gz", ".csv"} {
		if n := len(b) - len(ext); n > 0 && strings.EqualFold(b[n:], ext) {
			b = b[:n]
		}
	}
	return b
}
