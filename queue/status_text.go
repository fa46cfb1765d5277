package queue

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteText prints the status as evonas queue status does: three tables,
// of the streams, the runs and the workers (each last seen how long
// before now).
func (st *Status) WriteText(w io.Writer, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STREAM\tMESSAGES\tBYTES")
	for _, s := range st.Streams {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", s.Name, s.Msgs, s.Bytes)
	}
	fmt.Fprintln(tw, "\nRUN\tPENDING JOBS\tRESULTS")
	for _, r := range st.Runs {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", r.ID, r.Pending, r.Results)
	}
	fmt.Fprintln(tw, "\nWORKER\tSLOTS\tJOBS\tLAST SEEN\tBUILD")
	for _, s := range st.Workers {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s ago\t%s\n", s.Worker, s.Slots, s.Jobs, now.Sub(s.At).Round(time.Second), s.Build)
	}
	return tw.Flush()
}
