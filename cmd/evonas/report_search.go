package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/run"
)

// searchReport draws a search's plots (evonas report on an evolve or random
// run, or on a search of a comparison) and says where they are.
func searchReport(c *cli.Context, d *run.Dir) error {
	paths, err := d.WriteSearchReport()
	if err != nil {
		return err
	}
	st, err := d.Status()
	if err != nil {
		return err
	}
	recs, err := d.Records()
	if err != nil {
		return err
	}
	w := c.App.Writer
	fmt.Fprintf(w, "%s: %s, %d evaluations\n", d.Path, st, len(recs))
	for _, p := range paths {
		fmt.Fprintln(w, "wrote", p)
	}
	return nil
}
