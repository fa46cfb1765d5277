package dataset

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// numericWith is 300 rows of a numeric column a, a categorical column c and
// a two-class target y, with row bad (0-based) of column col replaced by tok.
func numericWith(col string, bad int, tok string) string {
	var b strings.Builder
	b.WriteString("a,c,y\n")
	for i := range 300 {
		a, c, y := fmt.Sprintf("%g", float64(i%17)/4), []string{"red", "blue"}[i%2], fmt.Sprint(i%2)
		if i == bad {
			switch col {
			case "a":
				a = tok
			case "y":
				y = tok
			}
		}
		fmt.Fprintf(&b, "%s,%s,%s\n", a, c, y)
	}
	return b.String()
}

// TestBadNumber checks that a numeric column with a few tokens that are not
// finite numbers is an error naming file, line, column and token, not a
// categorical column; that --missing drop and mean treat such tokens as
// missing; and that a mostly textual column stays categorical.
func TestBadNumber(t *testing.T) {
	for _, tc := range []struct {
		name, col, tok string
		wantErr        string
	}{
		{"x", "a", "x", `data.csv:42: column "a": "x" is not a number`},
		{"Inf", "a", "Inf", `data.csv:42: column "a": "Inf" is not a finite number`},
		{"-inf", "a", "-inf", `data.csv:42: column "a": "-inf" is not a finite number`},
		{"1e999", "a", "1e999", `data.csv:42: column "a": "1e999" is not a finite number`},
		{"target", "y", "?", `data.csv:42: column "y": "?" is not a number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := parse(t, numericWith(tc.col, 40, tc.tok))
			_, err := Prepare(tab, Options{})
			var ie *InputError
			if !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Fatalf("Prepare: %v, want an *InputError starting %q", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), "--missing") {
				t.Errorf("error %q does not say how to treat the value as missing", err)
			}
			d, err := Prepare(tab, Options{Missing: MissingDrop})
			if err != nil {
				t.Fatalf("--missing drop: %v", err)
			}
			if n := d.Train.N + d.Val.N + d.Test.N; n != 299 {
				t.Errorf("--missing drop kept %d rows, want 299", n)
			}
			if len(d.Features) != 3 { // a, c=blue, c=red
				t.Errorf("features %q, want a numeric a and two categories of c", d.Features)
			}
			if tc.col == "y" {
				if _, err := Prepare(tab, Options{Missing: MissingMean}); err == nil || !strings.Contains(err.Error(), "missing target") {
					t.Errorf("--missing mean with a bad target: %v, want a missing-target error", err)
				}
				return
			}
			d, err = Prepare(tab, Options{Missing: MissingMean})
			if err != nil {
				t.Fatalf("--missing mean: %v", err)
			}
			if n := d.Train.N + d.Val.N + d.Test.N; n != 300 || len(d.Features) != 3 {
				t.Errorf("--missing mean: %d rows, features %q; want 300 rows and 3 features", n, d.Features)
			}
		})
	}

	// A column of words with a few numbers among them is categorical.
	var b strings.Builder
	b.WriteString("a,c,y\n")
	for i := range 300 {
		c := []string{"red", "blue", "green"}[i%3]
		if i%50 == 0 {
			c = "7"
		}
		fmt.Fprintf(&b, "%d,%s,%d\n", i, c, i%2)
	}
	d, err := Prepare(parse(t, b.String()), Options{})
	if err != nil {
		t.Fatalf("mostly text column: %v", err)
	}
	if want := []string{"a", "c=7", "c=blue", "c=green", "c=red"}; fmt.Sprint(d.Features) != fmt.Sprint(want) {
		t.Errorf("features %q, want %q", d.Features, want)
	}
}

// TestTrainPredictAgree checks that a value Prepare rejects in a numeric
// column is one Transform rejects too, and the reverse.
func TestTrainPredictAgree(t *testing.T) {
	d, err := Prepare(parse(t, numericWith("", -1, "")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"x", "Inf", "-Inf", "1e999", "NaN"} {
		_, prepErr := Prepare(parse(t, numericWith("a", 3, tok)), Options{})
		_, _, trErr := d.Prep.Transform(parse(t, numericWith("a", 3, tok)))
		if prepErr == nil || trErr == nil {
			t.Errorf("%q: Prepare error %v, Transform error %v; want both to refuse it", tok, prepErr, trErr)
		}
	}
	for _, tok := range []string{"1_000", "0x1p-2", "+3.5", " 2 "} {
		_, prepErr := Prepare(parse(t, numericWith("a", 3, tok)), Options{})
		_, _, trErr := d.Prep.Transform(parse(t, numericWith("a", 3, tok)))
		if prepErr != nil || trErr != nil {
			t.Errorf("%q: Prepare error %v, Transform error %v; want both to accept it", tok, prepErr, trErr)
		}
	}
}

// TestCommaNumbers checks that a column of numbers written with thousands
// separators or decimal commas (quoted, in a comma-separated file) is an
// error naming the first such value, not a text column of one category per
// value; and that text with commas stays text.
func TestCommaNumbers(t *testing.T) {
	rows := func(f func(i int) string) string {
		var b strings.Builder
		b.WriteString("a,c,y\n")
		for i := range 40 {
			fmt.Fprintf(&b, "%s,%s,%d\n", f(i), []string{"red", "blue"}[i%2], i%2)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, text, want string
	}{
		{"thousands", rows(func(i int) string { return fmt.Sprintf("\"%d,%03d\"", 1+i, 7*i) }),
			`data.csv:2: column "a": "1,000" looks like a number written with a comma (40 of the column's 40 values are numbers without their commas)`},
		{"some below a thousand", rows(func(i int) string {
			if i < 10 {
				return fmt.Sprint(100 * i)
			}
			return fmt.Sprintf("\"%d,500\"", i)
		}), `data.csv:12: column "a": "10,500" looks like a number written with a comma`},
		{"decimal commas", rows(func(i int) string { return fmt.Sprintf("\"%d,5\"", i) }),
			`data.csv:2: column "a": "0,5" looks like a number written with a comma`},
		{"target", strings.Replace(rows(func(i int) string { return fmt.Sprint(i) }), ",0\n", ",\"1,000\"\n", -1),
			`data.csv:2: column "y": "1,000" looks like a number written with a comma`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, missing := range []string{"", MissingDrop, MissingMean} {
				_, err := Prepare(parse(t, tc.text), Options{Missing: missing})
				var ie *InputError
				if !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), tc.want) {
					t.Fatalf("--missing %q: %v, want an *InputError starting %q", missing, err, tc.want)
				}
			}
		})
	}
	text := rows(func(i int) string { return fmt.Sprintf("\"%s, %d\"", []string{"Smith", "Doe"}[i%2], i%3) })
	d, err := Prepare(parse(t, text), Options{})
	if err != nil {
		t.Fatalf("names with commas: %v", err)
	}
	if len(d.Features) != 8 { // 6 names, c=blue, c=red
		t.Errorf("features %q, want the names one-hot encoded", d.Features)
	}
}

// TestIdentifierNote checks that a text column with nearly a category per
// row (names, identifiers) is noted, and an ordinary one is not.
func TestIdentifierNote(t *testing.T) {
	var b strings.Builder
	b.WriteString("name,colour,x,y\n")
	for i := range 200 {
		fmt.Fprintf(&b, "person%d,%s,%d,%d\n", i, []string{"red", "green", "blue"}[i%3], i%9, i%2)
	}
	d, err := Prepare(parse(t, b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 1 || !strings.HasPrefix(d.Notes[0], `data.csv: column "name" has 200 distinct values in 200 rows`) {
		t.Errorf("notes %q, want one on the name column", d.Notes)
	}
	d, err = Prepare(parse(t, numericWith("", -1, "")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 0 {
		t.Errorf("notes %q on ordinary columns", d.Notes)
	}
}

// TestDateNote checks that a text column of dates, one-hot encoded as
// one input per date, is noted even when it has fewer distinct values than
// half its rows (where the identifier note stays silent), and that a
// column with few dates is not.
func TestDateNote(t *testing.T) {
	var b strings.Builder
	b.WriteString("signup,plan,y\n")
	for i := range 300 {
		fmt.Fprintf(&b, "2020-%02d-%02d,%s,%d\n", 1+i%12, 1+i%28, []string{"basic", "pro"}[i%2], i%2)
	}
	d, err := Prepare(parse(t, b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 1 || !strings.HasPrefix(d.Notes[0], `data.csv: column "signup" holds dates (84 distinct values in 300 rows), one-hot encoded as 84 inputs`) {
		t.Errorf("notes %q, want one on the signup column", d.Notes)
	}
	b.Reset()
	b.WriteString("day,y\n")
	for i := range 300 {
		fmt.Fprintf(&b, "2020-01-%02d,%d\n", 1+i%5, i%2)
	}
	if d, err = Prepare(parse(t, b.String()), Options{}); err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 0 {
		t.Errorf("notes %q on a column of 5 dates", d.Notes)
	}
}

// TestBadNumberText checks that a column named in Options.Text stays text:
// its stray token is a category, not an error.
func TestBadNumberText(t *testing.T) {
	text := numericWith("a", 40, "x")
	tab, err := readCSVText(text, []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Prepare(tab, Options{Text: []string{"a"}})
	if err != nil {
		t.Fatalf("Prepare with a as text: %v", err)
	}
	if len(d.Features) < 10 {
		t.Errorf("features %q, want a one-hot encoded", d.Features)
	}
}

func readCSVText(text string, cols []string) (*Table, error) {
	return parseCSVText(strings.NewReader(text), "data.csv", cols)
}

// TestOtherSeparator checks that a file separated by semicolons or tabs is
// an error that says so, at its header.
func TestOtherSeparator(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"a;b;y\n1,5;2;0\n3,1;4;1\n", `data.csv:1: the header "a;b;y" looks separated by semicolons`},
		{"a\tb\ty\n1\t2\t0\n", `data.csv:1: the header "a\tb\ty" looks separated by tabs`},
	} {
		_, err := ParseCSV(strings.NewReader(tc.text), "data.csv")
		var ie *InputError
		if !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ParseCSV(%q): %v, want an error starting %q", tc.text, err, tc.want)
		}
	}
	// A file of one column with no other separator parses (and fails later
	// for want of inputs, as before).
	if _, err := ParseCSV(strings.NewReader("y\n1\n0\n"), "data.csv"); err != nil {
		t.Errorf("one column: %v", err)
	}
}
