package table

import (
	"strings"
	"testing"
)

func TestWriteInfo(t *testing.T) {
	tb := tiny(t)
	var b strings.Builder
	if err := tb.WriteInfo(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"tiny: 8 configurations, val_acc over 2 repeats\n",
		"  width: {choices: [8, 16]}\n",
		"  activations: [relu, tanh]\n",
		"  lr: {choices: [0.01, 0.1]}\n",
		"  lr_schedule: [const]\n",
		"  optimizers: [adam]\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "shared_width") {
		t.Errorf("shared_width printed for a space without it:\n%s", out)
	}
}
