package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/search"
)

func sweepCommand() *cli.Command {
	return &cli.Command{
		Name:  "sweep",
		Usage: "compare variants of a config (the product of --set lists) with each other and with random search",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "config", Value: "default", Usage: "base config: a file or a shipped name"},
			&cli.StringSliceFlag{Name: "set", Usage: "KEY=V1,V2,...: values of a config key to sweep; repeat for more keys (for a list-valued key separate the variants with ';', e.g. search_space.activations='relu;relu,tanh')"},
		}, compareFlags()...),
		Before: noArgs,
		Action: runSweep,
	}
}

// sweepAxis is one --set: a key and its values.
type sweepAxis struct {
	key    string
	values []string
}

func parseSets(sets []string) ([]sweepAxis, error) {
	var axes []sweepAxis
	seen := map[string]bool{}
	for _, s := range sets {
		key, vals, ok := strings.Cut(s, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" || vals == "" {
			return nil, usagef("--set %q: want KEY=V1,V2,...", s)
		}
		if seen[key] {
			return nil, usagef("--set: key %s given twice", key)
		}
		seen[key] = true
		sep := ","
		if strings.Contains(vals, ";") {
			sep = ";"
		}
		var values []string
		for _, v := range strings.Split(vals, sep) {
			values = append(values, strings.TrimSpace(v))
		}
		axes = append(axes, sweepAxis{key, values})
	}
	return axes, nil
}

// variantsOf is the cartesian product of the axes applied to base; a bad
// key or value is an error before anything runs.
func variantsOf(base configs.Config, axes []sweepAxis) ([]variant, error) {
	vs := []variant{{cfg: base}}
	for _, ax := range axes {
		var next []variant
		for _, v := range vs {
			for _, val := range ax.values {
				cfg := v.cfg
				if err := configs.Set(&cfg, ax.key, val); err != nil {
					return nil, usagef("--set %s=%s: %v", ax.key, val, err)
				}
				name := lastKey(ax.key) + "=" + val
				if v.name != "" {
					name = v.name + " " + name
				}
				next = append(next, variant{name: name, cfg: cfg})
			}
		}
		vs = next
	}
	for _, v := range vs {
		if err := v.cfg.Validate(); err != nil {
			return nil, usagef("variant %s: %v", v.name, err)
		}
	}
	return vs, nil
}

func lastKey(k string) string {
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		return k[i+1:]
	}
	return k
}

func runSweep(c *cli.Context) error {
	base, err := configs.LoadNamed(c.String("config"))
	if err != nil {
		return err
	}
	axes, err := parseSets(c.StringSlice("set"))
	if err != nil {
		return err
	}
	if len(axes) == 0 {
		return usagef("sweep: give at least one --set KEY=V1,V2")
	}
	vs, err := variantsOf(base, axes)
	if err != nil {
		return err
	}
	return runComparison(c, vs, "sweep", "Sweep of "+base.Name, nil)
}

// rank orders a comparison's variants by median final test metric (mean,
// then name, to break ties) and marks those that beat random significantly
// on it.
func rank(cmp *search.Comparison) []string {
	type row struct {
		name         string
		median, mean float64
	}
	var rows []row
	for _, s := range cmp.Strategies {
		if s.Name != search.Baseline {
			rows = append(rows, row{s.Name, s.FinalTest.Median, s.FinalTest.Mean})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].median != rows[j].median {
			return rows[i].median > rows[j].median
		}
		if rows[i].mean != rows[j].mean {
			return rows[i].mean > rows[j].mean
		}
		return rows[i].name < rows[j].name
	})
	beats := map[string]bool{}
	for _, t := range cmp.Tests {
		if t.Vs == search.Baseline && t.Metric == "final_test" && t.PValue < 0.05 && t.A12 > 0.5 {
			beats[t.Strategy] = true
		}
	}
	var out []string
	for i, r := range rows {
		mark := ""
		if beats[r.name] {
			mark = " (beats random, p < 0.05, uncorrected)"
		}
		out = append(out, fmt.Sprintf("%d. %s: median test %s %.4f%s", i+1, r.name, cmp.MetricName, r.median, mark))
	}
	return out
}
