package queue

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText prints the status as evonas queue status does: four tables,
// of the streams, the runs, the data sets and the workers (each last seen
// how long before now).
func (st *Status) WriteText(w io.Writer, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STREAM\tMESSAGES\tBYTES")
	for _, s := range st.Streams {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", s.Name, s.Msgs, s.Bytes)
	}
	fmt.Fprintln(tw, "\nRUN\tPENDING JOBS\tRESULTS\tACK WAIT\tDATA")
	for _, r := range st.Runs {
		ack := "-" // no consumer
		if r.Consumer {
			ack = (time.Duration(r.AckWaitS * float64(time.Second))).String()
		}
		data := "-"
		if r.Data != "" {
			data = strings.TrimSpace(r.DataName + " " + shortFP(r.Data))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", r.ID, r.Pending, r.Results, ack, data)
	}
	fmt.Fprintln(tw, "\nDATA SET\tBYTES\tNEEDED BY")
	for _, d := range st.Data {
		by := strings.Join(d.Runs, " ")
		if by == "" {
			by = "no run (evonas queue purge --data drops it)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", shortFP(d.Fingerprint), d.Bytes, by)
	}
	fmt.Fprintln(tw, "\nWORKER\tSLOTS\tJOBS\tLAST SEEN\tBUILD")
	for _, s := range st.Workers {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s ago\t%s\n", s.Worker, s.Slots, s.Jobs, now.Sub(s.At).Round(time.Second), s.Build)
	}
	return tw.Flush()
}

// Line is what evonas queue purge prints of a run it purged.
func (p Purged) Line(runID string) string {
	s := fmt.Sprintf("run %s: dropped %d jobs and %d results", runID, p.Jobs, p.Results)
	if p.Consumer {
		s += ", its consumer"
	}
	if len(p.Data) > 0 {
		s += fmt.Sprintf(", its data set %s (%d bytes)", shortFP(p.Data[0]), p.DataBytes)
	}
	return s
}

// DataPurgedLine is what evonas queue purge --data prints.
func DataPurgedLine(dropped []string, bytes uint64) string {
	return fmt.Sprintf("dropped %d data sets that no run needs (%d bytes)", len(dropped), bytes)
}
