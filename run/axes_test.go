package run

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseAxes(t *testing.T) {
	axes, err := ParseAxes([]string{"evolution.population = 8, 16", "search_space.batch=[16,32];[64]"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Axis{{Key: "evolution.population", Values: []string{"8", "16"}}, {Key: "search_space.batch", Values: []string{"[16,32]", "[64]"}}}
	if !reflect.DeepEqual(axes, want) {
		t.Errorf("got %+v\nwant %+v", axes, want)
	}
	for _, bad := range [][]string{{"seed"}, {"=1,2"}, {"seed="}, {"seed=1", "seed=2"}} {
		var ie *InputError
		if _, err := ParseAxes(bad); !errors.As(err, &ie) {
			t.Errorf("%q: got %v, want an InputError", bad, err)
		}
	}
}
