package dataset

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

var nan = math.NaN()

// sameTable reports how got differs from want, treating NaN as equal to NaN.
func sameTable(got, want *Table) string {
	if got.Source != want.Source {
		return fmt.Sprintf("source %q, want %q", got.Source, want.Source)
	}
	if !reflect.DeepEqual(got.Lines, want.Lines) {
		return fmt.Sprintf("lines %v, want %v", got.Lines, want.Lines)
	}
	if len(got.Columns) != len(want.Columns) {
		return fmt.Sprintf("%d columns, want %d", len(got.Columns), len(want.Columns))
	}
	for j, g := range got.Columns {
		w := want.Columns[j]
		if g.Name != w.Name {
			return fmt.Sprintf("column %d: name %q, want %q", j, g.Name, w.Name)
		}
		if (g.Str == nil) != (w.Str == nil) || !reflect.DeepEqual(g.Str, w.Str) && len(g.Str)+len(w.Str) > 0 {
			return fmt.Sprintf("column %q: strings %q, want %q", g.Name, g.Str, w.Str)
		}
		if len(g.Num) != len(w.Num) {
			return fmt.Sprintf("column %q: numbers %v, want %v", g.Name, g.Num, w.Num)
		}
		for i := range g.Num {
			if g.Num[i] != w.Num[i] && !(math.IsNaN(g.Num[i]) && math.IsNaN(w.Num[i])) {
				return fmt.Sprintf("column %q: numbers %v, want %v", g.Name, g.Num, w.Num)
			}
		}
	}
	return ""
}

func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestParseCSV(t *testing.T) {
	num := func(name string, v ...float64) Column { return Column{Name: name, Num: v} }
	str := func(name string, v ...string) Column { return Column{Name: name, Str: v} }
	tests := []struct {
		name  string
		input string
		want  *Table
	}{
		{
			name:  "plain",
			input: "a,b,c\n1,2.5,x\n-3,1e3,y\n",
			want:  &Table{Columns: []Column{num("a", 1, -3), num("b", 2.5, 1000), str("c", "x", "y")}, Lines: []int{2, 3}},
		},
		{
			name:  "crlf and no final newline",
			input: "a,b\r\n1,u\r\n2,v",
			want:  &Table{Columns: []Column{num("a", 1, 2), str("b", "u", "v")}, Lines: []int{2, 3}},
		},
		{
			name:  "byte order mark",
			input: "\ufeffa,b\n1,2\n",
			want:  &Table{Columns: []Column{num("a", 1), num("b", 2)}, Lines: []int{2}},
		},
		{
			name:  "trailing and inner blank lines",
			input: "a,b\n1,2\n\n3,4\n\n\n",
			want:  &Table{Columns: []Column{num("a", 1, 3), num("b", 2, 4)}, Lines: []int{2, 4}},
		},
		{
			name:  "R write.csv",
			input: "\"Sepal.Length\",\"Species\",\"note\"\n5.1,\"setosa\",NA\n4.9,\"versicolor\",\"say \"\"hi\"\", ok\"\n",
			want: &Table{Columns: []Column{num("Sepal.Length", 5.1, 4.9), str("Species", "setosa", "versicolor"),
				str("note", "", `say "hi", ok`)}, Lines: []int{2, 3}},
		},
		{
			name:  "quoted newline shifts lines",
			input: "a,b\n1,\"two\nlines\"\n3,x\n",
			want:  &Table{Columns: []Column{num("a", 1, 3), str("b", "two\nlines", "x")}, Lines: []int{2, 4}},
		},
		{
			name:  "missing tokens in a numeric column",
			input: "a,b\n,1\nNA,2\nNaN,3\nnan,4\nN/A,5\n7,6\n",
			want:  &Table{Columns: []Column{num("a", nan, nan, nan, nan, nan, 7), num("b", 1, 2, 3, 4, 5, 6)}, Lines: []int{2, 3, 4, 5, 6, 7}},
		},
		{
			name:  "missing tokens in a text column",
			input: "a,b\nx,1\nNA,2\n\"\",3\nN/A,4\n",
			want:  &Table{Columns: []Column{str("a", "x", "", "", ""), num("b", 1, 2, 3, 4)}, Lines: []int{2, 3, 4, 5}},
		},
		{
			name:  "infinity is text",
			input: "a,b\n1,Inf\n2,inf\n3,1e999\n",
			want:  &Table{Columns: []Column{num("a", 1, 2, 3), str("b", "Inf", "inf", "1e999")}, Lines: []int{2, 3, 4}},
		},
		{
			name:  "late text keeps earlier numbers as written",
			input: "a,b\n1.0,1\n007,2\nNA,3\nabc,4\n",
			want:  &Table{Columns: []Column{str("a", "1.0", "007", "", "abc"), num("b", 1, 2, 3, 4)}, Lines: []int{2, 3, 4, 5}},
		},
		{
			name:  "text after missing values only",
			input: "a,b\nNA,1\n,2\nabc,3\n",
			want:  &Table{Columns: []Column{str("a", "", "", "abc"), num("b", 1, 2, 3)}, Lines: []int{2, 3, 4}},
		},
		{
			name:  "a column with no values",
			input: "a,b\n1,NA\n2,\n",
			want:  &Table{Columns: []Column{num("a", 1, 2), num("b", nan, nan)}, Lines: []int{2, 3}},
		},
		{
			name:  "white space is trimmed",
			input: " a , b \n 1 , x y \n",
			want:  &Table{Columns: []Column{num("a", 1), str("b", "x y")}, Lines: []int{2}},
		},
		{
			name:  "single column",
			input: "y\n1\n2\n",
			want:  &Table{Columns: []Column{num("y", 1, 2)}, Lines: []int{2, 3}},
		},
		{
			name:  "number forms strconv accepts",
			input: "a\n+1.5\n-0\n.25\n5.\n0x1p-2\n1E-3\n1_000\n",
			want:  &Table{Columns: []Column{num("a", 1.5, math.Copysign(0, -1), 0.25, 5, 0.25, 0.001, 1000)}, Lines: []int{2, 3, 4, 5, 6, 7, 8}},
		},
		{
			name:  "one non-number makes text",
			input: "a\n+1.5\n-0\n.25\n5.\n1__0\n",
			want:  &Table{Columns: []Column{str("a", "+1.5", "-0", ".25", "5.", "1__0")}, Lines: []int{2, 3, 4, 5, 6}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.want.Source = "test.csv"
			got, err := ParseCSV(strings.NewReader(tc.input), "test.csv")
			if err != nil {
				t.Fatalf("ParseCSV: %v", err)
			}
			if d := sameTable(got, tc.want); d != "" {
				t.Error(d)
			}
			if got.Rows() != len(tc.want.Lines) {
				t.Errorf("Rows() = %d, want %d", got.Rows(), len(tc.want.Lines))
			}
			// The same text gzipped gives the same table.
			gz, err := ParseCSV(bytes.NewReader(gzipped(t, tc.input)), "test.csv")
			if err != nil {
				t.Fatalf("ParseCSV(gzip): %v", err)
			}
			if d := sameTable(gz, tc.want); d != "" {
				t.Errorf("gzip: %s", d)
			}
		})
	}
}

func TestParseCSVErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string // the whole message
	}{
		{"empty", "", "bad.csv: empty file"},
		{"only blank lines", "\n\n", "bad.csv: empty file"},
		{"only byte order mark", "\ufeff", "bad.csv: empty file"},
		{"header only", "a,b\n", "bad.csv: no data rows"},
		{"empty name", "a,,c\n1,2,3\n", "bad.csv:1: column 2: empty name"},
		{"comma at the end of the line", "a,b,\n1,2,\n", "bad.csv:1: column 3: empty name (a comma at the end of each line?)"},
		{"R row names", "\"\",\"a\"\n\"1\",2\n", "bad.csv:1: column 1: empty name (a row-name column, as R's write.csv writes without row.names = FALSE?)"},
		{"duplicate name", "a,b,a\n1,2,3\n", `bad.csv:1: column 3: duplicate name "a" (also column 1)`},
		{"header after blank lines", "\n\na,a\n1,2\n", `bad.csv:3: column 2: duplicate name "a" (also column 1)`},
		{"short row", "a,b,c\n1,2,3\n4,5\n", "bad.csv:3: expected 3 fields, got 2"},
		{"long row", "a,b\n1,2\n3,4\n5,6,7\n", "bad.csv:4: expected 2 fields, got 3"},
		{"short row after quoted newline", "a,b\n1,\"x\ny\"\n2\n", "bad.csv:4: expected 2 fields, got 1"},
		{"bare quote", "a,b\n1,x\"y\n", `bad.csv:2: bare " in non-quoted-field (character 4)`},
		{"unclosed quote", "a,b\n1,2\n3,\"x\n", `bad.csv:3: extraneous or missing " in quoted-field (character 6)`},
		{"quote error in a later line of a record", "a,b\n1,\"x\ny\"z\n", `bad.csv:3: extraneous or missing " in quoted-field (character 2) in the record that starts on line 2`},
		{"corrupt gzip", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-garbage", "bad.csv: corrupt gzip data: flate: corrupt input before offset 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := ParseCSV(strings.NewReader(tc.input), "bad.csv")
			if err == nil {
				t.Fatalf("ParseCSV = %d rows, want error %q", tab.Rows(), tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("error %q, want %q", got, tc.want)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("error %T is not an *InputError", err)
			}
		})
	}
}

func TestParseCSVTruncatedGzip(t *testing.T) {
	gz := gzipped(t, "a,b\n1,2\n3,4\n")
	_, err := ParseCSV(bytes.NewReader(gz[:len(gz)-6]), "cut.csv.gz")
	var ie *InputError
	if !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), "cut.csv.gz: corrupt gzip data: ") {
		t.Errorf("error %v, want an *InputError about corrupt gzip data", err)
	}
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestParseCSVReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := ParseCSV(failingReader{boom}, "x.csv")
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want it to wrap %v", err, boom)
	}
	if got, want := err.Error(), "x.csv: boom"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
	var ie *InputError
	if errors.As(err, &ie) {
		t.Errorf("I/O error %v is an *InputError", err)
	}
}

func TestReadCSV(t *testing.T) {
	dir := t.TempDir()
	text := "a,b\n1,x\n2,y\n"
	files := map[string][]byte{
		"plain.csv":     []byte(text),
		"zipped.csv.gz": gzipped(t, text),
		"zipped.dat":    gzipped(t, text), // gzip found by its magic bytes
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			got, err := ReadCSV(path)
			if err != nil {
				t.Fatal(err)
			}
			want := &Table{Source: path, Lines: []int{2, 3},
				Columns: []Column{{Name: "a", Num: []float64{1, 2}}, {Name: "b", Str: []string{"x", "y"}}}}
			if d := sameTable(got, want); d != "" {
				t.Error(d)
			}
		})
	}

	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(dir, "nope.csv")
		_, err := ReadCSV(path)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("errors.Is(%v, fs.ErrNotExist) = false", err)
		}
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("error %T is not an *InputError", err)
		}
		if got, want := err.Error(), "open "+path+": no such file or directory"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("directory", func(t *testing.T) {
		_, err := ReadCSV(dir)
		if err == nil {
			t.Fatal("ReadCSV(directory) succeeded")
		}
		var ie *InputError
		if errors.As(err, &ie) {
			t.Errorf("I/O error %v is an *InputError", err)
		}
		if !strings.Contains(err.Error(), dir) {
			t.Errorf("error %q does not name %s", err, dir)
		}
	})
}

func TestParseDecimal(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, ok := parseDecimal(s)
		want, err := strconv.ParseFloat(s, 64)
		if ok && (err != nil || math.Float64bits(got) != math.Float64bits(want)) {
			t.Errorf("parseDecimal(%q) = %v, want %v (err %v)", s, got, want, err)
		}
	}
	for _, s := range []string{"0", "-0", "+0", "1", "0.1", "0.3", "123456789012345", "1234567890123456",
		"0.000000000000000000001", "0.0000000000000000000001", "0.00000000000000000000001",
		"999999999999999.9", "1.", ".1", ".", "-", "", "1..2", "1e5", "00000000000000000000012.5"} {
		check(s)
	}
	for _, s := range []string{".", "-", "", "+", "1..2", "1e5", "1,5", " 1"} {
		if _, ok := parseDecimal(s); ok {
			t.Errorf("parseDecimal(%q) ok, want not", s)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const digits = "0123456789"
	for range 50000 {
		var b strings.Builder
		if rng.IntN(4) == 0 {
			b.WriteByte('-')
		}
		n := 1 + rng.IntN(20)
		dot := rng.IntN(n + 1)
		for i := range n {
			if i == dot {
				b.WriteByte('.')
			}
			b.WriteByte(digits[rng.IntN(10)])
		}
		check(b.String())
	}
}

func BenchmarkParseMNIST(b *testing.B) {
	data, err := files.ReadFile("data/mnist10k.csv.gz")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCSV(bytes.NewReader(data), "mnist10k"); err != nil {
			b.Fatal(err)
		}
	}
}
