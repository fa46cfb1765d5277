package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/dataset"
)

func datasetsCommand() *cli.Command {
	return &cli.Command{
		Name:   "datasets",
		Usage:  "list the built-in data sets",
		Before: noArgs,
		Action: func(c *cli.Context) error {
			w := tabwriter.NewWriter(c.App.Writer, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tROWS\tFEATURES\tCLASSES\tTASK\tDESCRIPTION")
			for _, b := range dataset.Builtins() {
				classes := fmt.Sprint(b.Classes)
				if b.Task == dataset.Regression {
					classes = "-"
				}
				fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%s\t%s\n", b.Name, b.Rows, b.Features, classes, b.Task, b.Description)
			}
			return w.Flush()
		},
	}
}
