package table

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteText prints the simulation as evonas table simulate does: its
// settings (population and sampleSize, the models' own, are not part of a
// Simulation), the target, and one row per strategy: final regret, wall
// time, busy workers, time to the target and its ratio to the first
// strategy's, and the regret at half the first's wall time; then the
// asynchronous models at equal wall time (SimResult.EqualTime).
func (sim *Simulation) WriteText(w io.Writer, population, sampleSize int) error {
	fmt.Fprintf(w, "table %s, %d simulated workers, %d trainings per run, seeds 1..%d, population %d, sample size %d\n",
		sim.Table, sim.Workers, sim.Budget, sim.Seeds, population, sampleSize)
	fmt.Fprintf(w, "target: regret %.6g, the median final regret of %s; half its median wall time: %.4g s\n\n", sim.Target, sim.Strategies[0].Name, sim.Half)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "model\tfinal regret median [q1, q3]\twall s median\tworkers busy\ttime to target s (median)\treached\tratio\tregret at half")
	for _, st := range sim.Strategies {
		to, ratio, half := "not reached", "-", "none yet"
		if st.TimeToTarget != nil {
			to = fmt.Sprintf("%.4g", *st.TimeToTarget)
		}
		if st.AtHalf != nil {
			half = fmt.Sprintf("%.4g", *st.AtHalf)
		}
		if st.Ratio != nil {
			ratio = fmt.Sprintf("%.3f", *st.Ratio)
		}
		fmt.Fprintf(tw, "%s\t%.4g [%.4g, %.4g]\t%.4g\t%.0f%%\t%s\t%d/%d\t%s\t%s\n", st.Name, st.FinalRegret.Median, st.FinalRegret.Q1, st.FinalRegret.Q3,
			st.WallS.Median, 100*st.Busy, to, st.Reached, sim.Seeds, ratio, half)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	header := false
	for _, st := range sim.Strategies {
		eq := st.EqualTime
		if eq == nil {
			continue
		}
		if !header {
			fmt.Fprintf(w, "\nequal simulated wall time: each asynchronous run given, seed by seed, %s's wall time for that seed instead of the budget\n\n", sim.Strategies[0].Name)
			fmt.Fprintln(tw, "model\tfinal regret median [q1, q3]\ttrainings median\ttime to target s (median)\treached\tratio")
			header = true
		}
		to, ratio := "not reached", "-"
		if eq.TimeToTarget != nil {
			to = fmt.Sprintf("%.4g", *eq.TimeToTarget)
		}
		if eq.Ratio != nil {
			ratio = fmt.Sprintf("%.3f", *eq.Ratio)
		}
		fmt.Fprintf(tw, "%s\t%.4g [%.4g, %.4g]\t%.0f\t%s\t%d/%d\t%s\n", st.Name, eq.FinalRegret.Median, eq.FinalRegret.Q1, eq.FinalRegret.Q3,
			eq.Trainings.Median, to, eq.Reached, sim.Seeds, ratio)
	}
	return tw.Flush()
}
