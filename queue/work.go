package queue

import (
	"context"
	"errors"
	"fmt"
)

// OptionError is a bad value of an option of this package, one a command
// takes from a flag: Name is the option ("slots"), Err what is wrong.
type OptionError struct {
	Name string
	Err  error
}

func (e *OptionError) Error() string  { return "queue: " + e.Name + ": " + e.Err.Error() }
func (e *OptionError) Unwrap() error  { return e.Err }
func (e *OptionError) Option() string { return e.Name }

// Validate reports a worker's options that cannot work: negative slots.
func (w *Worker) Validate() error {
	if w.Slots < 0 {
		return &OptionError{"slots", fmt.Errorf("%d is negative", w.Slots)}
	}
	return nil
}

// ErrNoServer is Work's error when its context ends before the server
// came.
var ErrNoServer = errors.New("queue: stopped before the server came")

// Work is a worker process: it connects to o's server as a worker
// (RoleWorker), waiting for a server that is not up yet and reconnecting
// to a lost one (Forever), calls ready, when not nil, with the jobs it
// trains at once and the server's URL, and runs w until ctx ends (then it
// returns nil). A context that ends before the server came returns
// ErrNoServer; a Name another running worker has, before ready, an
// *OptionError for "name" wrapping a *NameTakenError.
func Work(ctx context.Context, o Options, w *Worker, ready func(slots int, url string)) error {
	if err := w.Validate(); err != nil {
		return err
	}
	o.Forever, o.Role = true, RoleWorker
	conn, err := Connect(ctx, o)
	if err != nil {
		if ctx.Err() != nil {
			return ErrNoServer
		}
		return err
	}
	defer conn.Close()
	// The name is checked before the worker says it is ready.
	p, err := w.start(ctx, conn)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(p.slots, conn.URL())
	}
	return w.run(ctx, conn, p)
}
