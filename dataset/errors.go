package dataset

import (
	"fmt"
	"strconv"
	"strings"
)

// InputError reports bad input: a malformed or missing file, a bad value, or
// options that do not fit the data. Every such error returned by this package
// is an *InputError, possibly wrapped; use errors.As to tell it apart from an
// I/O failure.
type InputError struct {
	Source string // file path or dataset name; "" if none applies
	Line   int    // 1-based source line; 0 if none applies
	Column string // column name; "" if none applies
	Msg    string // what is wrong; Err's text when empty
	Err    error  // underlying error, if any
}

// Error returns "source:line: column "name": msg", leaving out the parts
// that are empty.
func (e *InputError) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source)
		if e.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	if e.Column != "" {
		fmt.Fprintf(&b, "column %q: ", e.Column)
	}
	switch {
	case e.Msg != "":
		b.WriteString(e.Msg)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// inputErrorf returns an *InputError about source as a whole.
func inputErrorf(source, format string, args ...any) *InputError {
	return &InputError{Source: source, Msg: fmt.Sprintf(format, args...)}
}

// rowError returns an *InputError about row i (0-based) of t in column col.
// Generated tables have no source lines, so the row number stands in.
func rowError(t *Table, i int, col, format string, args ...any) *InputError {
	msg := fmt.Sprintf(format, args...)
	if t.Lines != nil {
		return &InputError{Source: t.Source, Line: t.Lines[i], Column: col, Msg: msg}
	}
	if col != "" {
		msg = fmt.Sprintf("column %q: %s", col, msg)
	}
	return &InputError{Source: t.Source, Msg: fmt.Sprintf("row %d: %s", i+1, msg)}
}
