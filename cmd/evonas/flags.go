package main

import (
	"encoding/json"
	"io"

	"github.com/urfave/cli/v2"
)

// Flags that several commands share. (A new flag each time: urfave/cli
// keeps state in a flag, and an app is made per run.)

// forceFlag lets a command replace its output file.
func forceFlag() cli.Flag {
	return &cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "overwrite the --out file if it exists"}
}

// workersFlag overrides a config's workers.
func workersFlag() cli.Flag {
	return &cli.IntFlag{Name: "workers", DefaultText: "the config's", Usage: "concurrent trainings, 0 for one per CPU (overrides workers)"}
}

// jsonFlag prints a run's summary.json instead of its table.
func jsonFlag() cli.Flag {
	return &cli.BoolFlag{Name: "json", Usage: "print summary.json instead of the table"}
}

// printResult prints v with --json as indented JSON, as the run's files
// hold it, else as text.
func printResult(c *cli.Context, v any, text func(io.Writer) error) error {
	if !c.Bool("json") {
		return text(c.App.Writer)
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = c.App.Writer.Write(append(b, '\n'))
	return err
}

// quietFlag turns the progress off.
func quietFlag() cli.Flag {
	return &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but the result"}
}
