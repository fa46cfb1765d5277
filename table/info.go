package table

import (
	"fmt"
	"io"
	"strings"

	"github.com/evonas/evonas/genome"
)

// WriteInfo describes the table as evonas table info does: its rows,
// metric and repeats, its best configuration by mean, and its grid as a
// config's search_space section.
func (t *Table) WriteInfo(w io.Writer) error {
	p, err := NewProblem(t, t.Space())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d configurations, %s over %d repeats\n", t.Name, t.Len(), t.Metric, t.Repeats)
	fmt.Fprintf(w, "best mean %.6g: %s\n", p.Best, t.Genome(p.BestRow).Key())
	fmt.Fprintf(w, "grid (as a config's search_space):\n%s", SpaceYAML(t.Space()))
	return nil
}

// SpaceYAML writes a space as a config's search_space section, indented
// by two spaces.
func SpaceYAML(s genome.Space) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  layers: {min: %d, max: %d}\n", s.Layers.Min, s.Layers.Max)
	if len(s.WidthChoices) > 0 {
		fmt.Fprintf(&b, "  width: {choices: %s}\n", listOf(s.WidthChoices))
	} else {
		fmt.Fprintf(&b, "  width: {min: %d, max: %d}\n", s.Width.Min, s.Width.Max)
	}
	if s.SharedWidth {
		b.WriteString("  shared_width: true\n")
	}
	fmt.Fprintf(&b, "  activations: %s\n", listOf(s.Activations))
	fmt.Fprintf(&b, "  lr: %s\n", floatDim(s.LRChoices, s.LR))
	sched := s.Schedules
	if len(sched) == 0 {
		sched = []string{genome.ConstSchedule}
	}
	fmt.Fprintf(&b, "  lr_schedule: %s\n", listOf(sched))
	fmt.Fprintf(&b, "  batch: %s\n", listOf(s.Batches))
	fmt.Fprintf(&b, "  dropout: %s\n", floatDim(s.DropoutChoices, s.Dropout))
	fmt.Fprintf(&b, "  l2: %s\n", floatDim(s.L2Choices, s.L2))
	fmt.Fprintf(&b, "  optimizers: %s\n", listOf(s.Optimizers))
	return b.String()
}

func listOf[T any](xs []T) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func floatDim(choices []float64, r genome.FloatRange) string {
	if len(choices) > 0 {
		return "{choices: " + listOf(choices) + "}"
	}
	return fmt.Sprintf("{min: %v, max: %v}", r.Min, r.Max)
}
