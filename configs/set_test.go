package configs

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestSet(t *testing.T) {
	tests := []struct {
		key, value string
		want       func(c *Config)
	}{
		{"evolution.population", "40", func(c *Config) { c.Evolution.Population = 40 }},
		{"evolution.population", " 40 ", func(c *Config) { c.Evolution.Population = 40 }},
		{"seed", "18446744073709551615", func(c *Config) { c.Seed = 18446744073709551615 }},
		{"name", "yes", func(c *Config) { c.Name = "yes" }},
		{"data.target", "", func(c *Config) { c.Data.Target = "" }},
		{"data.name", "data/a b.csv", func(c *Config) { c.Data.Name = "data/a b.csv" }},
		{"data.split.train", "0.8", func(c *Config) { c.Data.Split.Train = 0.8 }},
		{"evolution.mutation_rate", "1", func(c *Config) { c.Evolution.MutationRate = 1 }},
		{"search_space.lr.min", "1e-4", func(c *Config) { c.SearchSpace.LR.Min = 1e-4 }},
		{"evolution.keep_best", "false", func(c *Config) { c.Evolution.KeepBest = false }},
		{"search_space.activations", "relu,tanh,elu", func(c *Config) { c.SearchSpace.Activations = []string{"relu", "tanh", "elu"} }},
		{"search_space.activations", " elu , linear ", func(c *Config) { c.SearchSpace.Activations = []string{"elu", "linear"} }},
		{"search_space.batch", "16,32,64", func(c *Config) { c.SearchSpace.Batch = []int{16, 32, 64} }},
		// A list of choices replaces min and max, which take its extremes,
		// as a file's do: the config written is the one that runs.
		{"search_space.width.choices", "8", func(c *Config) { c.SearchSpace.Width = IntRange{Min: 8, Max: 8, Choices: []int{8}} }},
		{"search_space.width.choices", "256,8,16", func(c *Config) { c.SearchSpace.Width = IntRange{Min: 8, Max: 256, Choices: []int{256, 8, 16}} }},
		{"search_space.width.choices", "", func(c *Config) { c.SearchSpace.Width.Choices = nil }},
		{"search_space.lr.choices", "0.1,1e-3", func(c *Config) { c.SearchSpace.LR = FloatRange{Min: 1e-3, Max: 0.1, Choices: []float64{0.1, 1e-3}} }},
		{"search_space.dropout.choices", "0.5,0.25", func(c *Config) {
			c.SearchSpace.Dropout = FloatRange{Min: 0.25, Max: 0.5, Choices: []float64{0.5, 0.25}}
		}},
		{"search_space.l2.choices", "0,1e-4", func(c *Config) { c.SearchSpace.L2 = FloatRange{Min: 0, Max: 1e-4, Choices: []float64{0, 1e-4}} }},
		{"data.table", "t.csv.gz", func(c *Config) { c.Data.Table, c.Data.Name = "t.csv.gz", "" }},
		{"stop.target_fitness", "0.05", func(c *Config) { c.Stop.TargetFitness = ptr(0.05) }},
		{"stop.target_fitness", "none", func(c *Config) { c.Stop.TargetFitness = nil }},
		// Set checks types only; Validate catches the range.
		{"evolution.population", "0", func(c *Config) { c.Evolution.Population = 0 }},
	}
	for _, tc := range tests {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			got := Default()
			got.Stop.TargetFitness = ptr(1) // so that turning it off shows
			want := got
			want.Stop.TargetFitness = ptr(1)
			tc.want(&want)
			if err := Set(&got, tc.key, tc.value); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct {
		key, value string
		wantKey    string
		msg        string
	}{
		{"evolution.mutaton_rate", "0.5", "evolution.mutaton_rate", "unknown key (did you mean evolution.mutation_rate?)"},
		{"population", "10", "population", "unknown key (did you mean evolution.population?)"},
		{"nothing.like.this", "1", "nothing.like.this", "unknown key"},
		{"evolution", "1", "evolution", "is a section; set one of its keys, such as evolution.model"},
		{"search_space.layers", "1,3", "search_space.layers", "is a section"},
		{"", "1", "", "unknown key"},
		{"evolution.population", "ten", "evolution.population", `cannot decode "ten" as an integer`},
		{"evolution.population", "2.5", "evolution.population", `cannot decode "2.5" as an integer`},
		{"evolution.population", "", "evolution.population", "missing value"},
		{"seed", "-3", "seed", "non-negative integer"},
		{"evolution.keep_best", "yes", "evolution.keep_best", "boolean"},
		{"evolution.mutation_rate", "most", "evolution.mutation_rate", "number"},
		{"search_space.batch", "32,big", "search_space.batch[1]", `cannot decode "big" as an integer`},
		{"search_space.batch", "32,,64", "search_space.batch[1]", "missing value"},
		{"stop.target_fitness", "low", "stop.target_fitness", "cannot decode"},
	}
	for _, tc := range tests {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			c := Default()
			err := Set(&c, tc.key, tc.value)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%T), want *Error", err, err)
			}
			if e.Key != tc.wantKey || e.Line != 0 || e.File != "" {
				t.Errorf("got key %q line %d file %q, want key %q", e.Key, e.Line, e.File, tc.wantKey)
			}
			if !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got message %q, want it to contain %q", e.Msg, tc.msg)
			}
			if !reflect.DeepEqual(c, Default()) {
				t.Errorf("a failed Set changed the config: %+v", c)
			}
		})
	}
}

// TestSetChoices checks that a config changed by Set means, once written
// and read again, what it meant in memory: a sweep's run.json and a
// variant's config.yaml are read back by resume. A min or max set while a
// list of choices replaces them would have no effect: it is refused,
// naming the key.
func TestSetChoices(t *testing.T) {
	c := Default()
	if err := Set(&c, "search_space.width.choices", "8,16"); err != nil {
		t.Fatal(err)
	}
	y, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(y, "run.json")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.SearchSpace.Width, c.SearchSpace.Width) {
		t.Errorf("written and read again: width %+v, was %+v", back.SearchSpace.Width, c.SearchSpace.Width)
	}

	for _, key := range []string{"search_space.width.min", "search_space.width.max", "search_space.lr.min", "search_space.dropout.max", "search_space.l2.min"} {
		t.Run(key, func(t *testing.T) {
			c := Default()
			c.SearchSpace.Width.Choices = []int{16, 32}
			c.SearchSpace.LR.Choices = []float64{1e-3, 1e-2}
			c.SearchSpace.Dropout.Choices = []float64{0, 0.5}
			c.SearchSpace.L2.Choices = []float64{0, 1e-4}
			was := c
			err := Set(&c, key, "1")
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			choices := key[:strings.LastIndexByte(key, '.')] + ".choices"
			if e.Key != key || !strings.Contains(e.Msg, choices) {
				t.Errorf("got key %q, message %q; want key %s and a message naming %s", e.Key, e.Msg, key, choices)
			}
			if !reflect.DeepEqual(c, was) {
				t.Errorf("a refused Set changed the config")
			}
		})
	}
	// Without choices, min and max are the range.
	c = Default()
	if err := Set(&c, "search_space.width.min", "8"); err != nil || c.SearchSpace.Width.Min != 8 {
		t.Errorf("width.min without choices: %v, min %d; want 8", err, c.SearchSpace.Width.Min)
	}
}

func TestSetThenValidate(t *testing.T) {
	c := Default()
	if err := Set(&c, "evolution.population", "1"); err != nil {
		t.Fatal(err)
	}
	if got, want := errString(c.Validate()), "evolution.population: must be >= 2, got 1"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestKeys(t *testing.T) {
	keys := Keys()
	if !sort.StringsAreSorted(keys) {
		t.Error("Keys() is not sorted")
	}
	if len(keys) != 82 {
		t.Errorf("got %d keys, want 82", len(keys))
	}
	for _, want := range []string{"name", "seed", "data.split.train", "search_space.width.choices", "data.ignore", "search_space.lr_schedule", "evolution.mutation.optimizer", "stop.target_fitness", "budget.evaluations", "fidelity.method", "fidelity.eta", "training.precision", "objective.minimize", "objective.repeats", "objective.finalists", "objective.metric", "objective.folds", "evolution.mutation_style", "evolution.screen"} {
		if i := sort.SearchStrings(keys, want); i == len(keys) || keys[i] != want {
			t.Errorf("Keys() lacks %s", want)
		}
	}
	// Every key can be set to its own default value, written as Set expects.
	d := Default()
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			c := Default()
			v := reflect.ValueOf(d).FieldByIndex(schema().byKey[key].index)
			if err := Set(&c, key, flagString(v)); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c, d) {
				t.Errorf("setting %s to its default changed the config", key)
			}
		})
	}
}

// flagString writes a value the way a user would on a command line.
func flagString(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = flagString(v.Index(i))
		}
		return strings.Join(parts, ",")
	case reflect.Pointer:
		if v.IsNil() {
			return "none"
		}
		return flagString(v.Elem())
	case reflect.String:
		return v.String()
	}
	s, _ := render(v)
	return s
}

func TestOverride(t *testing.T) {
	c := Default()
	c.Data.Rows, c.Data.Noise = 500, 0.2
	if err := Override(&c, "data.name", c.Data.Name); err != nil || c.Data.Rows != 500 || c.Data.Noise != 0.2 {
		t.Errorf("the same data.name: rows %d, noise %g, err %v; want 500, 0.2, nil", c.Data.Rows, c.Data.Noise, err)
	}
	if err := Override(&c, "data.name", "xor"); err != nil || c.Data.Name != "xor" || c.Data.Rows != 0 || c.Data.Noise != 0 {
		t.Errorf("another data.name: %q, rows %d, noise %g, err %v; want xor, 0, 0, nil", c.Data.Name, c.Data.Rows, c.Data.Noise, err)
	}
	if err := Override(&c, "data.split", "0.6, 0.2,0.2"); err != nil || c.Data.Split.Train != 0.6 || c.Data.Split.Val != 0.2 || c.Data.Split.Test != 0.2 {
		t.Errorf("data.split: %+v, %v", c.Data.Split, err)
	}
	for _, tc := range []struct{ value, want string }{
		{"0.8,0.2", `want three fractions like 0.7,0.15,0.15, got "0.8,0.2"`},
		{"a,0.2,0.2", `data.split.train: cannot decode "a" as a number`},
	} {
		if err := Override(&c, "data.split", tc.value); err == nil || err.Error() != tc.want {
			t.Errorf("data.split %s: %v, want %s", tc.value, err, tc.want)
		}
	}
	if err := Override(&c, "evolution.population", "12"); err != nil || c.Evolution.Population != 12 {
		t.Errorf("evolution.population: %d, %v", c.Evolution.Population, err)
	}
}
