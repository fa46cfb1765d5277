package main

import (
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

func runSweep(c *cli.Context) error {
	base, err := configs.LoadNamed(c.String("config"))
	if err != nil {
		return err
	}
	axes, err := run.ParseAxes(c.StringSlice("set"))
	if err != nil {
		return err
	}
	vs, err := run.SweepVariants(base, axes)
	if err != nil {
		return err
	}
	return runComparison(c, vs, run.KindSweep, "Sweep of "+base.Name, c.String("out"), nil)
}
