package dataset

import (
	"strings"
	"testing"
)

func TestWriteBuiltins(t *testing.T) {
	var b strings.Builder
	if err := WriteBuiltins(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != len(Builtins())+1 || !strings.HasPrefix(lines[0], "NAME") {
		t.Fatalf("want a header and %d rows, got:\n%s", len(Builtins()), b.String())
	}
	for i, d := range Builtins() {
		f := strings.Fields(lines[i+1])
		if f[0] != d.Name || f[4] != string(d.Task) {
			t.Errorf("row %d: %q, want %s ... %s", i+1, lines[i+1], d.Name, d.Task)
		}
		if (d.Task == Regression) != (f[3] == "-") {
			t.Errorf("row %d: classes %s for a %s task", i+1, f[3], d.Task)
		}
	}
}
