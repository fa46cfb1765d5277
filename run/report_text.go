package run

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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

// Redraw draws the report of the run directory dir again, as evonas
// report does: a comparison's plots and report.md from its summary.json
// (on a table or not), whose summary it returns, a *ComparisonSummary or a
// *TableComparisonSummary; or a search's plots (Report, printing on w),
// for which it returns nil.
func Redraw(dir string, w io.Writer) (any, error) {
	if st, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, inputf("%s: no such directory", dir)
	} else if err == nil && !st.IsDir() {
		return nil, inputf("%s is a file, not a run directory (the directory is %s)", dir, filepath.Dir(dir))
	}
	if ts, ok, err := ReadTableComparison(dir); ok {
		if err != nil {
			return nil, err
		}
		return ts, WriteTableReport(dir, ts)
	}
	d, oerr := Open(dir)
	if oerr == nil && !d.IsComparison() {
		return nil, d.Report(w)
	}
	if _, err := os.Stat(filepath.Join(dir, SummaryFile)); oerr == nil && errors.Is(err, fs.ErrNotExist) && !d.IsTable() {
		// A comparison begun but not finished (interrupted, killed or
		// still running): its report is drawn when it writes its summary.
		st, err := d.Status()
		if err != nil {
			return nil, err
		}
		return nil, inputf("%s: the %s has not finished (%s, no summary.json yet); its report is drawn when it ends: if it was stopped, continue it with evonas resume %s", dir, d.Info.Kind, st, ShellQuote(dir))
	}
	if _, err := os.Stat(filepath.Join(dir, InfoFile)); oerr != nil && err == nil {
		return nil, oerr // a run.json that does not read
	}
	sum, err := ReadComparisonSummary(dir)
	if err != nil && oerr != nil {
		return nil, inputf("%v, nor a comparison (no summary.json)", oerr)
	}
	if err != nil {
		return nil, err
	}
	if sum.Comparison != nil {
		sum.Retest() // tests as evonas makes them now, for a summary from before
		if len(sum.Ranking) > 0 {
			sum.Ranking = rank(sum.Comparison) // its marks follow the tests
		}
	}
	return sum, WriteReport(dir, sum, ReportTitle(dir, sum))
}
