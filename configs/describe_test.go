package configs

import (
	"strings"
	"testing"
)

func TestDescription(t *testing.T) {
	for _, name := range Embedded() {
		d, err := Description(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d == "" || !strings.HasSuffix(d, ".") || strings.Contains(d, "#") || strings.Contains(d, ". ") {
			t.Errorf("%s: description %q, want one sentence without comment marks", name, d)
		}
	}
	if _, err := Description("no-such-config"); err == nil {
		t.Error("description of a config that is not shipped: no error")
	}
}
