package run

import (
	"fmt"
	"io"
)

// Report draws the search's plots (WriteSearchReport) and prints, as
// evonas report does, the run's status, its evaluations so far and the
// files written.
func (d *Dir) Report(w io.Writer) error {
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
	fmt.Fprintf(w, "%s: %s, %d evaluations\n", d.Path, st, len(recs))
	for _, p := range paths {
		fmt.Fprintln(w, "wrote", p)
	}
	return nil
}
