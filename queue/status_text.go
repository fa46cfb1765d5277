package queue

import (
	"cmp"
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
	// A name with several entries (a worker restarted, or two processes
	// given one --name) shows each with its instance and host.
	entries, running := map[string]int{}, map[string][]string{}
	for _, s := range st.Workers {
		entries[s.Worker]++
		if !s.Stopped && now.Sub(s.At) <= aliveWithin(seenEvery) {
			running[s.Worker] = append(running[s.Worker], cmp.Or(s.Instance, "unknown"))
		}
	}
	for _, s := range st.Workers {
		name, seen := s.Worker, fmt.Sprintf("%s ago", now.Sub(s.At).Round(time.Second))
		if entries[s.Worker] > 1 {
			name += " (" + s.instance()
			if s.Host != "" {
				name += fmt.Sprintf(" on %s, PID %d", s.Host, s.PID)
			}
			name += ")"
		}
		if s.Stopped {
			seen += ", stopped"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", name, s.Slots, s.Jobs, seen, s.Build)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range st.Workers {
		if r := running[s.Worker]; len(r) > 1 {
			fmt.Fprintf(w, "\n%d running workers are named %s (instances %s): results cannot tell them apart; restart all but one with another --name\n",
				len(r), s.Worker, strings.Join(r, ", "))
			delete(running, s.Worker)
		}
	}
	return nil
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

// instance is the entry's instance, or what it is without one.
func (s Seen) instance() string {
	if s.Instance == "" {
		return "instance unknown, earlier evonas"
	}
	return "instance " + s.Instance
}
