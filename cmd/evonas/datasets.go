package main

import (
	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/dataset"
)

func datasetsCommand() *cli.Command {
	return &cli.Command{
		Name:   "datasets",
		Usage:  "list the built-in data sets",
		Before: noArgs,
		Action: func(c *cli.Context) error {
			return dataset.WriteBuiltins(c.App.Writer)
		},
	}
}
