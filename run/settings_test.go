package run

import (
	"testing"

	"github.com/evonas/evonas/search"
)

func TestPlannedTrainings(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		generations, budget     int
		generation, evaluations int
		want                    int
	}{
		{"after the initial population", 10, 0, 0, 16, 16 + 10*16},
		{"the mean so far", 10, 0, 3, 40, 40 + 7*10},
		{"the budget caps it", 10, 60, 1, 30, 60},
		{"never below the count", 10, 20, 1, 30, 30},
		{"after the last generation", 10, 0, 10, 123, 123},
	} {
		g := search.GenerationStats{Generation: tc.generation, Evaluations: tc.evaluations}
		if got := PlannedTrainings(tc.generations, tc.budget, g); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
