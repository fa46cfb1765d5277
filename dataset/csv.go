package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Table is raw columnar data as loaded, before encoding. Treat a Table as
// read-only once built: built-in tables are shared by every caller.
type Table struct {
	Source  string   // file path or built-in name; used in every error message
	Columns []Column // in file order
	Lines   []int    // 1-based source line of each row (nil for generated data)
}

// Column is one column of a Table. Exactly one of Num and Str is non-nil,
// except that a numeric column with no rows may have both nil.
type Column struct {
	Name string
	Num  []float64 // numeric column; missing values are NaN
	Str  []string  // categorical (non-numeric) column; missing values are ""; nil when numeric
}

// Rows returns the number of rows.
func (t *Table) Rows() int {
	if len(t.Columns) == 0 {
		return len(t.Lines)
	}
	return t.Columns[0].len()
}

func (c *Column) len() int {
	if c.Str != nil {
		return len(c.Str)
	}
	return len(c.Num)
}

// missing reports whether row i holds a missing value.
func (c *Column) missing(i int) bool {
	if c.Str != nil {
		return c.Str[i] == ""
	}
	return math.IsNaN(c.Num[i])
}

// column returns the column called name, or nil.
func (t *Table) column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

func (t *Table) names() string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// notFound is the text of an error about a column name that t lacks: its
// columns, and the one whose name differs only in case or surrounding space,
// if there is one.
func (t *Table) notFound(name string) string {
	msg := "not found (columns: " + t.names() + ")"
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, strings.TrimSpace(name)) {
			return msg + fmt.Sprintf("; did you mean %q?", c.Name)
		}
	}
	return msg
}

// check reports a Table whose shape is inconsistent, as one built by hand
// might be.
func (t *Table) check() error {
	if len(t.Columns) == 0 {
		return inputErrorf(t.Source, "no columns")
	}
	n := t.Rows()
	if t.Lines != nil && len(t.Lines) != n {
		return inputErrorf(t.Source, "%d line numbers for %d rows", len(t.Lines), n)
	}
	seen := make(map[string]bool, len(t.Columns))
	for i := range t.Columns {
		c := &t.Columns[i]
		switch {
		case c.Name == "":
			return inputErrorf(t.Source, "column %d: empty name", i+1)
		case seen[c.Name]:
			return inputErrorf(t.Source, "duplicate column name %q", c.Name)
		case c.Num != nil && c.Str != nil:
			return &InputError{Source: t.Source, Column: c.Name, Msg: "both numeric and string values"}
		case c.len() != n:
			return &InputError{Source: t.Source, Column: c.Name, Msg: fmt.Sprintf("%d rows, want %d", c.len(), n)}
		}
		seen[c.Name] = true
	}
	return nil
}

// CSVOptions is reserved for future CSV dialect settings.
type CSVOptions struct{}

// ReadCSV reads a CSV file, gzip-compressed or not (see ParseCSV). A file that
// does not exist gives an *InputError that wraps the *fs.PathError, so
// errors.Is(err, fs.ErrNotExist) holds; other I/O errors are returned as the
// os package reports them.
func ReadCSV(path string) (*Table, error) { return readCSV(path, nil) }

// readCSV reads a CSV file, keeping the columns named in text as text.
func readCSV(path string, text []string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &InputError{Err: err}
		}
		return nil, err
	}
	defer f.Close()
	return parseCSVText(f, path, text)
}

// ParseCSV parses CSV text from r; source names it in errors. Gzip-compressed
// input is recognised by its magic bytes and decompressed. Errors reading r
// are returned wrapped; everything wrong with the content is an *InputError.
func ParseCSV(r io.Reader, source string) (*Table, error) { return parseCSVText(r, source, nil) }

// parseCSVText parses as ParseCSV does, but keeps the columns named in text
// as text even when every value is a number, each value as written
// (trimmed): an ID written 007 stays 007.
func parseCSVText(r io.Reader, source string, text []string) (*Table, error) {
	src := &sourceReader{r: r}
	data, err := io.ReadAll(src)
	if err == nil && len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		var zr *gzip.Reader
		if zr, err = gzip.NewReader(bytes.NewReader(data)); err == nil {
			// The trailer holds the uncompressed size mod 2^32: a good first
			// guess that saves growing the buffer step by step. Deflate
			// cannot compress more than about 1032:1, which bounds the guess
			// for a corrupt trailer.
			var buf bytes.Buffer
			if len(data) >= 18 {
				size := int64(binary.LittleEndian.Uint32(data[len(data)-4:])) // not int: negative above 2^31 on 32-bit systems
				buf.Grow(int(min(size, 1032*int64(len(data)), 1<<28)) + bytes.MinRead)
			}
			_, err = buf.ReadFrom(zr)
			data = buf.Bytes()
		}
	}
	if err != nil {
		if src.err == nil {
			return nil, &InputError{Source: source, Msg: "corrupt gzip data: " + err.Error(), Err: err}
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))

	t, redo, err := parseCSV(data, source, nil)
	if redo != nil {
		// A column turned out to be text after numbers had been parsed from
		// it: read again, keeping that column's values as written.
		t, _, err = parseCSV(data, source, redo)
	}
	if err == nil && len(text) > 0 {
		flags, again := make([]bool, len(t.Columns)), false
		for j, c := range t.Columns {
			flags[j] = c.Str != nil || slices.Contains(text, c.Name)
			again = again || flags[j] && c.Str == nil
		}
		if again {
			t, _, err = parseCSV(data, source, flags)
		}
	}
	return t, err
}

// sourceReader remembers an error from the underlying reader, so that
// ParseCSV can tell I/O failures from corrupt gzip data.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// isMissing reports whether a (trimmed) field is a missing-value token.
func isMissing(s string) bool {
	switch s {
	case "", "NA", "N/A":
		return true
	}
	return len(s) == 3 && strings.EqualFold(s, "nan")
}

// parseCSV parses data once. Columns marked in text are kept as strings from
// the start. If a column turns out to be text after a number was parsed from
// it, parseCSV returns the columns to read as text on a second pass.
func parseCSV(data []byte, source string, text []bool) (*Table, []bool, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true

	parseErr := func(err error) error {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			msg := fmt.Sprintf("%v (character %d)", pe.Err, pe.Column)
			if pe.StartLine != pe.Line {
				msg += fmt.Sprintf(" in the record that starts on line %d", pe.StartLine)
			}
			return &InputError{Source: source, Line: pe.Line, Msg: msg, Err: err}
		}
		return &InputError{Source: source, Msg: err.Error(), Err: err}
	}

	header, err := r.Read()
	if err == io.EOF {
		return nil, nil, inputErrorf(source, "empty file")
	}
	if err != nil {
		return nil, nil, parseErr(err)
	}
	headerLine, _ := r.FieldPos(0)
	if len(header) == 1 {
		// One column cannot be both inputs and a target: most likely
		// another separator, as spreadsheets in many locales write.
		for _, sep := range []struct{ char, name string }{{";", "semicolons"}, {"\t", "tabs"}, {"|", "vertical bars"}} {
			if strings.Contains(header[0], sep.char) {
				return nil, nil, &InputError{Source: source, Line: headerLine,
					Msg: fmt.Sprintf("the header %q looks separated by %s; evonas reads comma-separated values (save the file as CSV with commas, and . for decimals)", header[0], sep.name)}
			}
		}
	}
	t := &Table{Source: source, Columns: make([]Column, len(header))}
	index := make(map[string]int, len(header))
	for j, h := range header {
		name := strings.TrimSpace(h)
		if name == "" {
			msg := fmt.Sprintf("column %d: empty name", j+1)
			switch {
			case j == 0:
				msg += " (a row-name column, as R's write.csv writes without row.names = FALSE?)"
			case j == len(header)-1:
				msg += " (a comma at the end of each line?)"
			}
			return nil, nil, &InputError{Source: source, Line: headerLine, Msg: msg}
		}
		if k, dup := index[name]; dup {
			return nil, nil, &InputError{Source: source, Line: headerLine,
				Msg: fmt.Sprintf("column %d: duplicate name %q (also column %d)", j+1, name, k+1)}
		}
		index[name] = j
		t.Columns[j].Name = strings.Clone(name)
	}

	type state struct {
		isText  bool
		numSeen bool // a number has been parsed from this column
		intern  map[string]string
	}
	// Allocate once rather than grow: there are no more rows than line
	// ends, nor than len(data)/len(header) (each row takes a separator or
	// line end per field), which bounds the guess for blank lines.
	capRows := min(bytes.Count(data, []byte{'\n'}), len(data)/len(header)) + 1
	t.Lines = make([]int, 0, capRows)
	cols := make([]state, len(header))
	for j := range cols {
		if text != nil && text[j] {
			cols[j].isText = true
			cols[j].intern = make(map[string]string)
			t.Columns[j].Str = make([]string, 0, capRows)
		} else {
			t.Columns[j].Num = make([]float64, 0, capRows)
		}
	}
	var redo []bool
	for row := 0; ; row++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, parseErr(err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			return nil, nil, &InputError{Source: source, Line: line,
				Msg: fmt.Sprintf("expected %d fields, got %d", len(header), len(rec))}
		}
		t.Lines = append(t.Lines, line)
		for j, f := range rec {
			s := strings.TrimSpace(f)
			st, c := &cols[j], &t.Columns[j]
			if !st.isText {
				if isMissing(s) {
					c.Num = append(c.Num, math.NaN())
					continue
				}
				if v, kind := parseNumber(s); kind == finiteNumber {
					c.Num = append(c.Num, v)
					st.numSeen = true
					continue
				}
				// Not a number: from here on this is a text column.
				st.isText = true
				st.intern = make(map[string]string)
				if st.numSeen {
					if redo == nil {
						redo = make([]bool, len(header))
					}
					redo[j] = true
				}
				// Rows so far were all missing (or will be re-read).
				c.Str = make([]string, len(c.Num), cap(c.Num))
				c.Num = nil
			}
			if isMissing(s) {
				c.Str = append(c.Str, "")
				continue
			}
			v, ok := st.intern[s]
			if !ok {
				v = strings.Clone(s)
				st.intern[v] = v
			}
			c.Str = append(c.Str, v)
		}
	}
	if redo != nil {
		for j := range cols {
			redo[j] = cols[j].isText
		}
		return nil, redo, nil
	}
	if len(t.Lines) == 0 {
		return nil, nil, inputErrorf(source, "no data rows")
	}
	// A column with no values is read, as numbers all missing: rows to
	// predict may leave the target, or a column the model does not use,
	// empty. Prepare refuses it; Transform, if it is an input.
	return t, nil, nil
}

// Kinds of token, for numberKind.
const (
	notNumber    = iota // text, or a missing-value token
	finiteNumber        // a number a numeric column holds
	nonFinite           // a number such as Inf or 1e999 that no column holds
)

// parseNumber parses a trimmed, non-missing field as a numeric column
// reads it and says what kind of token it is; v is valid for finiteNumber.
func parseNumber(s string) (v float64, kind int) {
	if v, ok := parseDecimal(s); ok {
		return v, finiteNumber
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err == nil && !math.IsInf(v, 0) && !math.IsNaN(v):
		return v, finiteNumber
	case err == nil, errors.Is(err, strconv.ErrRange) && math.IsInf(v, 0):
		return 0, nonFinite
	}
	return 0, notNumber
}

func numberKind(s string) int {
	_, kind := parseNumber(s)
	return kind
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseDecimal parses plain decimals such as "-12.5" whose digits fit in 15
// significant places, and reports false for anything else. Both the digits
// and the power of ten are exact in a float64, so one correctly rounded
// division gives the same value as strconv.ParseFloat (this is its own fast
// path), at a fraction of the cost on large files.
func parseDecimal(s string) (float64, bool) {
	i, neg := 0, false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var mant uint64
	digits, sig, frac, dot := 0, 0, 0, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if mant != 0 || c != '0' {
				sig++
			}
			mant = mant*10 + uint64(c-'0')
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 || sig > 15 || frac >= len(pow10) {
		return 0, false
	}
	v := float64(mant) / pow10[frac]
	if neg {
		v = -v
	}
	return v, true
}
