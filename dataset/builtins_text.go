package dataset

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteBuiltins prints the built-in data sets as a table, as evonas
// datasets does: name, rows, features, classes (a dash for a regression),
// task and description.
func WriteBuiltins(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROWS\tFEATURES\tCLASSES\tTASK\tDESCRIPTION")
	for _, b := range Builtins() {
		classes := fmt.Sprint(b.Classes)
		if b.Task == Regression {
			classes = "-"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", b.Name, b.Rows, b.Features, classes, b.Task, b.Description)
	}
	return tw.Flush()
}
