package run

import (
	"context"
	"errors"
	"fmt"

	"github.com/evonas/evonas/queue"
	"github.com/evonas/evonas/search"
)

// Setup is how a search or a comparison runs beyond its config and
// directory (Search.Launch, Comparison.Launch): the command line that
// started it, the queue it trains through and the display that follows it.
type Setup struct {
	Command string // for run.json and the report; a resumed run keeps its own
	// Queue, when set, is opened before the run and closed after it. Its
	// Slots, 0 with Embedded, are the config's Workers.
	Queue   *QueueOptions
	Display Display // nil: nothing shown
}

// StoppedError is a run stopped before its end, by its context, because
// its queue cannot go on (queue.StopError) or because its files could not
// be written (a full disk): every finished evaluation is saved, and resuming
// the run in Dir continues it.
type StoppedError struct {
	Dir string
	Err error
}

func (e *StoppedError) Error() string { return e.Err.Error() }
func (e *StoppedError) Unwrap() error { return e.Err }

// Hint is what to tell a person of the stopped run: why it stopped
// ("interrupted", by a signal, else Err), that every finished evaluation
// is saved (or, when a file could not be written, those logged before),
// and the command that continues it, with --queue url
// (credentials left out) unless url is "".
func (e *StoppedError) Hint(url string, interrupted bool) string {
	why := "interrupted"
	if !interrupted {
		why = e.Err.Error()
	}
	resume := "evonas resume " + ShellQuote(e.Dir)
	if url != "" {
		resume = "evonas resume --queue " + ShellQuote(queue.Redact(url)) + " " + ShellQuote(e.Dir)
	}
	var we *writeError
	if errors.As(e.Err, &we) {
		return why + "; the evaluations logged before it are kept, continue with: " + resume
	}
	return why + "; every finished evaluation is saved, continue with: " + resume
}

// writeError is a failure to write a search's files (a full disk): its
// logs or checkpoint, which stops the search (what says so: "writing the
// run log"), or best.json or summary.json at its end. What the search
// logged before resumes.
type writeError struct {
	what string // "" for the error alone
	err  error
}

func (e *writeError) Error() string {
	if e.what == "" {
		return e.err.Error()
	}
	return e.what + ": " + e.err.Error()
}
func (e *writeError) Unwrap() error { return e.err }

// stopped is err, a run's in dir, as a *StoppedError when it can be resumed.
func stopped(ctx context.Context, dir string, err error) error {
	var (
		stop *queue.StopError
		we   *writeError
	)
	if ctx.Err() != nil || errors.As(err, &stop) || errors.As(err, &we) {
		return &StoppedError{Dir: dir, Err: err}
	}
	return err
}

// OpenQueue opens the setup's queue (nil without one), with workers local
// slots by default with an embedded server, and says where the trainings go.
func (su *Setup) OpenQueue(ctx context.Context, workers int) (*Queue, error) {
	if su.Queue == nil {
		return nil, nil
	}
	o := *su.Queue
	if o.Embedded && o.Slots == 0 {
		o.Slots = workers
	}
	if o.Say == nil && su.Display != nil {
		o.Say = func(format string, args ...any) { su.Display.Say(fmt.Sprintf(format, args...)) }
	}
	q, err := OpenQueue(ctx, o)
	if err != nil || su.Display == nil {
		return q, err
	}
	where := q.URL()
	if o.Embedded {
		where = "an embedded NATS server at " + where
	}
	su.Display.Say(fmt.Sprintf("queue: trainings go through %s: up to %d jobs outstanding, %d local worker slots", where, q.Jobs(), q.Slots()))
	return q, nil
}

// Launch runs a search prepared by New (whose directory it creates) or
// Reopen: it opens the setup's queue (refusing, before anything is
// written, a config that cannot train through one: CheckQueue), tells the
// display the search's heading and notes, and runs it (Run) with the
// display as its Observer (a nil display leaves Observer as it is). A run
// stopped before its end returns a *StoppedError.
func (s *Search) Launch(ctx context.Context, su Setup) (*Summary, *search.Result, error) {
	if su.Queue != nil {
		if err := CheckQueue(s.Config); err != nil {
			return nil, nil, err
		}
	}
	q, err := su.OpenQueue(ctx, Workers(s.Config))
	if err != nil {
		return nil, nil, err
	}
	defer q.Close()
	s.Queue = q
	if !s.Resume {
		if err := s.Create(su.Command); err != nil {
			return nil, nil, err
		}
	}
	if d := su.Display; d != nil {
		var estimate func(search.GenerationStats) int
		if st := SettingsOf(s.Config); s.Strategy == GA && st.Generations > 0 {
			estimate = func(g search.GenerationStats) int { return PlannedTrainings(st.Generations, st.Budget, g) }
		}
		d.Begin(s.Expected(), MetricName(s.Config, s.Data.Task), estimate)
		defer d.End()
		s.Observer = d
		// The run directory is named first, with the bar too: a long
		// run is looked at while it runs.
		d.Say(s.Heading())
		for _, n := range s.Notes() {
			d.Note(n)
		}
	}
	sum, res, err := s.Run(ctx)
	if err != nil {
		return nil, nil, stopped(ctx, s.Dir, err)
	}
	return sum, res, nil
}

// Launch runs a comparison prepared by NewComparison (whose directory it
// creates, with the setup's command line) or ReopenComparison: it opens
// the setup's queue (refusing first a variant that cannot train through
// one: CheckQueue) and runs it (Run), the display, when not nil, being its
// Observer and Starting. A comparison stopped before its end returns a
// *StoppedError.
func (c *Comparison) Launch(ctx context.Context, su Setup) (*ComparisonSummary, error) {
	if su.Queue != nil {
		for _, v := range c.Variants {
			if err := CheckQueue(v.Config); err != nil {
				return nil, err
			}
		}
	}
	q, err := su.OpenQueue(ctx, Workers(c.Variants[0].Config))
	if err != nil {
		return nil, err
	}
	defer q.Close()
	c.Queue = q
	if !c.resumed {
		c.Command = su.Command
	}
	if err := c.Create(); err != nil {
		return nil, err
	}
	if d := su.Display; d != nil {
		d.Begin(c.Expected(), MetricName(c.Variants[0].Config, c.Task()), nil)
		defer d.End()
		c.Observer, c.Starting = d, d.Starting
	}
	sum, err := c.Run(ctx)
	if err != nil {
		return nil, stopped(ctx, c.Dir, err)
	}
	return sum, nil
}
