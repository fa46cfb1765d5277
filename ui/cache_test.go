package ui

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/evonas/evonas/run"
)

// TestCacheFollowsAppends checks that the cache follows a live search by
// decoding only the lines appended since its last read, and that what it
// returns is what a full read returns, also once the file is rewritten.
func TestCacheFollowsAppends(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "live")
	writeSearch(t, dir, nil, "", false)
	path := filepath.Join(dir, run.EvaluationsFile)
	d, err := run.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := newCache()
	appendLine := func(s string) {
		t.Helper()
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(s); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	check := func(step string) {
		t.Helper()
		got, err := c.recordsOf(d)
		want, werr := d.Records()
		if err != nil || werr != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: cache %d records (%v), file %d (%v)", step, len(got), err, len(want), werr)
		}
	}
	for i := range 6 {
		line, _ := json.Marshal(record(i, i/2, 0.5+float64(i)/20))
		// Each line arrives in two writes: the first leaves it torn.
		appendLine(string(line[:10]))
		check("torn")
		appendLine(string(line[10:]) + "\n")
		check("whole")
	}
	// A line far before the end changed in place (same file, same size) is
	// not read again: only the appended one is decoded.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, []byte(`"arch":"x"`))
	if i < 0 || i > len(b)-300 {
		t.Fatalf("arch at %d of %d bytes", i, len(b))
	}
	b[i+8] = 'y'
	line, _ := json.Marshal(record(6, 3, 0.9))
	if err := os.WriteFile(path, append(b, append(line, '\n')...), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := c.recordsOf(d)
	if err != nil || len(got) != 7 || got[0].Arch != "x" || got[6].Val.Acc != 0.9 {
		t.Fatalf("after an append: %d records (%v), first arch %q", len(got), err, got[0].Arch)
	}
	// A file cut short is read whole again.
	one, _ := json.Marshal(record(0, 0, 0.6))
	writeFile(t, path, append(one, '\n'))
	check("rewritten")
}
