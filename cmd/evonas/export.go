package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/export"
	"github.com/evonas/evonas/model"
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
	out := c.String("out")
	format := c.String("format")
	if format == "" {
		if format = export.FormatOf(out); format == "" {
			return usagef("export: --format is required when --out %s ends in neither .onnx nor .py", out)
		}
	}
	known := false
	for _, f := range export.Formats {
		known = known || f == format
	}
	if !known {
		return usagef("export: --format: unknown format %q (want %s)", format, strings.Join(export.Formats, " or "))
	}
	m, err := loadModel(c, c.String("model"))
	if err != nil {
		return err
	}
	files, err := export.Files(m, format, out, version())
	if err != nil {
		return err
	}
	for _, f := range files {
		if _, err := os.Stat(f.Path); err == nil && !c.Bool("force") {
			return usagef("export: %s exists (--force replaces it)", f.Path)
		}
		if err := run.CheckWritable(f.Path); err != nil {
			return err
		}
	}
	if err := export.Write(files); err != nil {
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

// loadModel loads a model file; a run directory stands for its best.json,
// or with --member for that member of its front.
func loadModel(c *cli.Context, path string) (*model.Model, error) {
	if member := c.String("member"); member != "" {
		if st, err := os.Stat(path); err != nil || !st.IsDir() {
			return nil, usagef("--member needs --model to be a run directory, got %s", path)
		}
		return run.MemberModel(c.Context, path, member)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		best := filepath.Join(path, run.BestFile)
		if _, err := os.Stat(best); errors.Is(err, fs.ErrNotExist) {
			return nil, usagef("%s is a directory without best.json (a run saves it when it ends)", path)
		}
		path = best
	}
	return model.Load(path)
}
