package configs

import (
	"strings"
	"testing"
)

func TestWriteList(t *testing.T) {
	var b strings.Builder
	if err := WriteList(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != len(Embedded())+1 || !strings.HasPrefix(lines[0], "NAME") {
		t.Fatalf("want a header and %d configs, got:\n%s", len(Embedded()), b.String())
	}
	for i, name := range Embedded() {
		desc, _ := Description(name)
		if f := strings.Fields(lines[i+1]); f[0] != name || !strings.HasSuffix(lines[i+1], desc) {
			t.Errorf("row %d: %q, want %s and its description %q", i+1, lines[i+1], name, desc)
		}
	}
}
