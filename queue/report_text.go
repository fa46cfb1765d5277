package queue

import (
	"fmt"
	"math"
)

// Line is a worker's line for a job: its ID, architecture, and fitness or
// failure (and what becomes of the job), and seconds.
func (r Report) Line() string {
	var what string
	switch {
	case r.Err != nil && r.Env && r.Final:
		what = fmt.Sprintf("not evaluated, given up on its last delivery (%d), the coordinator stops: %v", r.Delivery, r.Err)
	case r.Err != nil && r.Final:
		what = fmt.Sprintf("failed: %v", r.Err)
	case r.Err != nil:
		what = fmt.Sprintf("not evaluated, back to the queue (delivery %d): %v", r.Delivery, r.Err)
	case math.IsInf(r.Record.Fitness, 0):
		what = fmt.Sprintf("fitness inf (%s: %s)", r.Record.Status, r.Record.Reason)
	default:
		what = fmt.Sprintf("fitness %.4f", r.Record.Fitness)
	}
	if r.Lost {
		what += " (another result was stored first)"
	}
	return fmt.Sprintf("%s %s %s %.2f s", r.JobID, r.Arch, what, r.Seconds)
}
