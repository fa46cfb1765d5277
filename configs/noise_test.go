package configs

import (
	"testing"

	"github.com/evonas/evonas/search"
)

// TestSettingsCarryTheSearchLevers: objective.repeats and finalists and
// evolution.mutation_style reach the search's settings.
func TestSettingsCarryTheSearchLevers(t *testing.T) {
	c, err := Parse([]byte("objective: {repeats: 3, finalists: 4}\nevolution: {mutation_style: local}\n"), "run.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := c.Settings()
	if s.Mutation != "local" || s.Noise != (search.Noise{Repeats: 3, Finalists: 4}) {
		t.Errorf("Settings() has mutation %q, noise %+v; want local, {3 4}", s.Mutation, s.Noise)
	}
	for _, tc := range []struct{ pop, want int }{{20, 14}, {4, 2}, {100, 70}} {
		c := Default()
		c.Evolution.Model, c.Evolution.Population, c.Evolution.SampleSize = "regularized", tc.pop, 0
		if err := c.Validate(); err != nil {
			t.Fatalf("sample_size 0, population %d: %v", tc.pop, err)
		}
		if got := c.Settings().SampleSize; got != tc.want {
			t.Errorf("sample_size 0, population %d: Settings().SampleSize %d, want %d", tc.pop, got, tc.want)
		}
	}
	d := Default().Settings()
	if d.Mutation != "rates" || d.Noise.Repeats != 1 {
		t.Errorf("Default().Settings() has mutation %q, repeats %d; want rates, 1 (the operators before issue 12)", d.Mutation, d.Noise.Repeats)
	}
}
