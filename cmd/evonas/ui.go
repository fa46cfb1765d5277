package main

import (
	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/ui"
)

func uiCommand() *cli.Command {
	return &cli.Command{
		Name:  "ui",
		Usage: "serve a read-only dashboard of the runs under a directory",
		Description: "Serves every run, comparison and sweep under --dir in the browser, following running ones live:\n" +
			"progress, the evaluations, parallel coordinates, the Pareto front, learning curves and the lineage\n" +
			"of the best genome. It only reads. It listens on loopback unless --listen says otherwise.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Value: "runs", Usage: "the directory of runs to serve"},
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:8080", Usage: "address to listen on, `HOST:PORT`"},
		},
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			s, err := ui.New(c.String("dir"))
			if err != nil {
				return usageError{err}
			}
			return s.Serve(c.Context, c.String("listen"), c.App.ErrWriter, nil)
		},
	}
}
