package main

import (
	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/run"
)

func randomCommand() *cli.Command {
	flags := evolveCommand().Flags
	flags = append(flags, &cli.IntFlag{Name: "evaluations", DefaultText: "the config's budget, else what its evolution would spend: population x islands x (generations + 1)", Usage: "trainings to run"})
	return &cli.Command{
		Name:   "random",
		Usage:  "random search over the config's search space: the baseline evolution must beat",
		Flags:  flags,
		Before: noArgs,
		Action: func(c *cli.Context) error {
			n := c.Int("evaluations")
			if c.IsSet("evaluations") && n < 1 {
				return usagef("--evaluations: want at least 1, got %d", n)
			}
			return runStrategy(c, run.Random, n)
		},
	}
}
