package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunAndReprint runs the default set on the shipped table for a few
// seeds, then reprints its JSON: the tables printed both ways are the same,
// and the same flags give the same figures again.
func TestRunAndReprint(t *testing.T) {
	js := filepath.Join(t.TempDir(), "r.json")
	args := []string{"-tables", "../../table/builtin", "-set", "default", "-seeds", "4", "-budgets", "20,40", "-workers", "2"}
	var first, again, printed bytes.Buffer
	if err := run(append(args, "-json", js), &first); err != nil {
		t.Fatal(err)
	}
	if err := run(args, &again); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-set", "default", "-budgets", "20,40", "-from", js}, &printed); err != nil {
		t.Fatal(err)
	}
	tables := func(s string) string { // the Markdown tables, without the timing line
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "|") || strings.HasPrefix(l, "###") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	got := tables(first.String())
	for _, want := range []string{"### spirals_mlp", "| random |", "| default |"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if tables(again.String()) != got {
		t.Errorf("the same flags gave other figures:\n%s\n%s", got, tables(again.String()))
	}
	if tables(printed.String()) != got {
		t.Errorf("-from printed\n%s\nwant\n%s", tables(printed.String()), got)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-budgets", "0"}, {"-set", "best"}, {"-tables", t.TempDir()}} {
		if err := run(args, &bytes.Buffer{}); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
