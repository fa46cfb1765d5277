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

// TestLoadVariantsAndSweep: no names is the default config; a sweep of
// two values is two variants of its base, with the report's title; an
// unknown base or a bad --set fails before anything runs.
func TestLoadVariantsAndSweep(t *testing.T) {
	vs, err := LoadVariants(nil)
	if err != nil || len(vs) != 1 || vs[0].Name != "default" {
		t.Errorf("LoadVariants(nil) = %+v, %v; want the default config", vs, err)
	}
	vs, title, err := LoadSweep("default", []string{"evolution.population=4,6"})
	if err != nil || len(vs) != 2 || title != "Sweep of default" || vs[0].Config.Evolution.Population != 4 || vs[1].Config.Evolution.Population != 6 {
		t.Errorf("LoadSweep: %d variants, title %q, %v; want populations 4 and 6, Sweep of default", len(vs), title, err)
	}
	var ie *InputError
	if _, _, err := LoadSweep("default", []string{"evolution.population"}); !errors.As(err, &ie) {
		t.Errorf("a --set without values: %v, want an InputError", err)
	}
	if _, _, err := LoadSweep("no-such-config", []string{"seed=1,2"}); err == nil {
		t.Error("an unknown base config: no error")
	}
}
