package table

import (
	"strings"
	"testing"
)

func TestSimulationWriteText(t *testing.T) {
	to, ratio := 12.5, 0.5
	sim := &Simulation{Table: "nb", Workers: 8, Budget: 64, Seeds: 3, Target: 0.125, Half: 20,
		Strategies: []SimResult{
			{Name: "generational", TimeToTarget: &to, Reached: 2},
			{Name: "async", Ratio: &ratio},
		}}
	var b strings.Builder
	if err := sim.WriteText(&b, 8, 2); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 6 { // settings, target, blank, header, two models
		t.Fatalf("want 6 lines, got %d:\n%s", len(lines), b.String())
	}
	for i, want := range []string{"population 8, sample size 2", "median final regret of generational", "", "model", "12.5", "not reached"} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d: want %q in %q", i, want, lines[i])
		}
	}
	if !strings.Contains(lines[4], "2/3") || !strings.Contains(lines[5], "0.500") || !strings.Contains(lines[5], "none yet") {
		t.Errorf("reached, ratio or regret at half wrong:\n%s", b.String())
	}
}
