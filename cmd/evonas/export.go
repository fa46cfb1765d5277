package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/run"
)

func exportCommand() *cli.Command {
	return &cli.Command{
		Name:  "export",
		Usage: "write a saved model as ONNX or as a PyTorch file (see docs/export.md)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Usage: "model file written by train --out or evolve (best.json), or a run directory"},
			&cli.StringFlag{Name: "format", Usage: "onnx (the model and its input layout, OUT.json) or pytorch (one Python file) (default: from the extension of --out, .onnx or .py)"},
			&cli.StringFlag{Name: "out", Usage: "file to write"},
			&cli.BoolFlag{Name: "force", Usage: "replace files that exist"},
			memberFlag(),
		},
		Before: noArgs,
		Action: runExport,
	}
}

func runExport(c *cli.Context) error {
	for _, name := range []string{"model", "out"} {
		if c.String(name) == "" {
			return usagef("export: --%s is required", name)
		}
	}
	files, err := run.Export(c.Context, run.ExportOptions{Model: c.String("model"), Member: c.String("member"),
		Format: c.String("format"), Out: c.String("out"), Force: c.Bool("force"), Producer: version()})
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(c.App.Writer, "wrote %s (%s)\n", f.Path, f.What)
	}
	return nil
}

// memberFlag picks a front member of a Pareto search instead of best.json.
func memberFlag() cli.Flag {
	return &cli.StringFlag{Name: "member", Usage: "with --model a Pareto search's run directory: the front member to use, by its index (0 is the most accurate, as the final table and summary.json number them) or its key; retrained with its recorded seed"}
}
