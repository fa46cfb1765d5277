package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/run"
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

// parseSets reads the --set KEY=V1,V2,... flags.
func parseSets(sets []string) ([]run.Axis, error) {
	var axes []run.Axis
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
		axes = append(axes, run.Axis{Key: key, Values: values})
	}
	return axes, nil
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
	vs, err := run.SweepVariants(base, axes)
	if err != nil {
		return err
	}
	return runComparison(c, vs, run.KindSweep, "Sweep of "+base.Name, c.String("out"), nil)
}
