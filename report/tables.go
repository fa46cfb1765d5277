package report

import (
	"fmt"
	"io"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/evonas/evonas/search"
	"github.com/evonas/evonas/table"
)

// RegretCurves plots each strategy's regret against evaluations on a
// table, on log-log axes: the median over seeds and the band between the
// quartiles. Regret 0 (the best configuration found) has no place on a log
// axis: it is drawn at half the smallest positive value plotted, and when
// none is positive (every run found the best) the regret axis is linear.
func RegretCurves(c *table.Comparison, paths ...string) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Regret on %s: median and quartiles over %d seeds", c.Table, c.Seeds)
	p.Add(plotter.NewGrid())
	floor := math.Inf(1)
	for _, s := range c.Strategies {
		for _, v := range slices.Concat(s.Curve.Median, s.Curve.Q1, s.Curve.Q3) {
			if v > 0 {
				floor = math.Min(floor, v/2)
			}
		}
	}
	if math.IsInf(floor, 1) {
		floor = 0
	}
	at := func(v float64) float64 { return math.Max(v, floor) }
	var bands []band
	for _, s := range c.Strategies {
		cv := s.Curve
		b := band{name: s.Name, xs: cv.Evaluations}
		for j := range cv.Evaluations {
			b.mid = append(b.mid, at(cv.Median[j]))
			b.good = append(b.good, at(cv.Q1[j]))
			b.poor = append(b.poor, at(cv.Q3[j]))
		}
		bands = append(bands, b)
	}
	p.X.Label.Text = "evaluations"
	p.Y.Label.Text = "regret of the incumbent"
	if err := lowerBands(p, bands, floor > 0, math.Inf(1), "median regret"); err != nil {
		return err
	}
	if logAxis(&p.X) {
		p.X.Label.Text += " (log scale)"
	}
	fromZero(&p.X)
	legendAbove(p)
	return save(p, paths)
}

// TableText writes a table comparison as plain text: per strategy the
// final regret and the evaluations needed to reach random search's median
// final regret.
func TableText(w io.Writer, c *table.Comparison) {
	wn := len("strategy")
	for _, s := range c.Strategies {
		wn = max(wn, textWidth(s.Name))
	}
	fmt.Fprintf(w, "%s: %d rows, %s over %d repeats, best mean %.6g; %d seeds, budget %d\n", c.Table, c.Rows, c.Metric, c.Repeats, c.BestMean, c.Seeds, c.Budget)
	fmt.Fprintf(w, "%s %34s %18s %8s %9s\n", padRight("strategy", wn), "final regret median [q1, q3]", "evals to random's", "speed-up", "p vs rand")
	for _, s := range c.Strategies {
		fmt.Fprintf(w, "%s %34s %18s %8s %9s\n", padRight(s.Name, wn), regretQuartiles(s.FinalRegret), reachText(s.ToReach), ratioText(s.Speedup), pText(s.PValue))
	}
}

func regretQuartiles(q table.Quartiles) string {
	return fmt.Sprintf("%.4g [%.4g, %.4g]", q.Median, q.Q1, q.Q3)
}

func reachText(n *int) string {
	if n == nil {
		return "never"
	}
	return fmt.Sprint(*n)
}

func ratioText(x *float64) string {
	if x == nil {
		return "-"
	}
	return fmt.Sprintf("%.2fx", *x)
}

func pText(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.2g", *p)
}

// TableMarkdown writes report.md of a table comparison.
func TableMarkdown(w io.Writer, c *table.Comparison, title, command string) {
	fmt.Fprintf(w, "# %s\n\n", title)
	better := "lower"
	if c.Maximize {
		better = "higher"
	}
	fmt.Fprintf(w, "Table %s: %d configurations, %s (%s is better) over %d repeats; best mean %.6g (%s). %d seeds, budget %d evaluations per run.\n\n",
		c.Table, c.Rows, c.Metric, better, c.Repeats, c.BestMean, c.BestConfig, c.Seeds, c.Budget)
	fmt.Fprintln(w, "Protocol: each evaluation of a configuration returns one repeat, chosen by the run seed and the configuration (the same for every strategy); the cache answers later visits at no cost. A run's incumbent is the configuration with the best observed value; its regret is the distance of the incumbent's mean over the repeats from the best mean.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| strategy | final regret median [q1, q3] | evaluations to reach random search's median final regret | speed-up over random search | Mann-Whitney p vs random | A12 (P(lower regret than random)) |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
	var base *table.StrategyResult
	for i, s := range c.Strategies {
		if s.Name == search.Baseline {
			base = &c.Strategies[i]
		}
		a := "-"
		if s.A12 != nil {
			a = fmt.Sprintf("%.2f", *s.A12)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", s.Name, regretQuartiles(s.FinalRegret), reachText(s.ToReach), ratioText(s.Speedup), pText(s.PValue), a)
	}
	fmt.Fprintln(w)
	if base != nil {
		fmt.Fprintf(w, "Random search's median final regret is %.4g; its median curve reaches it after %s evaluations. ", base.FinalRegret.Median, reachText(base.ToReach))
		first := true
		for _, s := range c.Strategies {
			if s.Name == search.Baseline {
				continue
			}
			if !first {
				fmt.Fprint(w, "; ")
			}
			first = false
			if s.ToReach == nil {
				fmt.Fprintf(w, "%s does not reach it within %d evaluations (median over seeds)", s.Name, c.Budget)
				continue
			}
			fmt.Fprintf(w, "%s reaches it after %d evaluations (median over seeds): %s random search's speed", s.Name, *s.ToReach, ratioText(s.Speedup))
		}
		fmt.Fprint(w, ".\n\n")
	}
	checks := table.Checkpoints(c.Budget)
	fmt.Fprint(w, "Median regret [q1, q3] after n evaluations:\n\n| strategy |")
	for _, n := range checks {
		fmt.Fprintf(w, " %d |", n)
	}
	fmt.Fprint(w, "\n| --- |")
	for range checks {
		fmt.Fprint(w, " --- |")
	}
	fmt.Fprintln(w)
	for _, s := range c.Strategies {
		fmt.Fprintf(w, "| %s |", s.Name)
		for _, n := range checks {
			fmt.Fprintf(w, " %s |", regretQuartiles(s.AtBudget[fmt.Sprint(n)]))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "![regret against evaluations](curves.png)")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Reproduce with:\n\n```sh\n%s\n```\n", command)
}
