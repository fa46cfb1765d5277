package configs

import (
	"bytes"
	"testing"
)

// A config built in Go with a list of choices, and min and max left zero,
// is the config a file with the same choices gives: the same YAML (which a
// resume compares with the run's) and the same space. It used to write
// min: 0, max: 0, so that resuming its run with it was refused as a change.
func TestChoicesBuiltInCode(t *testing.T) {
	inCode := Default()
	inCode.SearchSpace.Width = IntRange{Choices: []int{8, 4}}
	inCode.SearchSpace.LR = FloatRange{Choices: []float64{0.01, 0.001}}
	parsed, err := Parse([]byte("search_space:\n  width: {choices: [8, 4]}\n  lr: {choices: [0.01, 0.001]}\n"), "default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := inCode.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := inCode.YAML()
	if err != nil {
		t.Fatal(err)
	}
	b, err := parsed.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("in code:\n%s\nparsed:\n%s", a, b)
	}
	if got, want := inCode.Space().Width, parsed.Space().Width; got != want {
		t.Errorf("Space().Width = %+v, want %+v", got, want)
	}
	if got, want := inCode.Space().LR, parsed.Space().LR; got != want {
		t.Errorf("Space().LR = %+v, want %+v", got, want)
	}
}
