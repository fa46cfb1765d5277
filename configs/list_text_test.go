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

func TestWriteValid(t *testing.T) {
	c := Default()
	var b strings.Builder
	if err := c.WriteValid(&b, "a.yaml"); err != nil || b.String() != "a.yaml: ok\n" {
		t.Errorf("the default: %q, %v; want a.yaml: ok", b.String(), err)
	}
	c.Evolution.Model, c.Workers = "async_regularized", 4
	b.Reset()
	if err := c.WriteValid(&b, "b.yaml"); err != nil || !strings.HasPrefix(b.String(), "b.yaml: ok\nb.yaml: note: evolution.model: async_regularized") {
		t.Errorf("with a note: %q, %v; want ok, then the note", b.String(), err)
	}
}
