package queue

import (
	"errors"
	"math"
	"testing"

	"github.com/evonas/evonas/fitness"
)

func TestReportLine(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range []struct {
		r    Report
		want string
	}{
		{Report{JobID: "j1", Arch: "8r", Record: fitness.Record{Fitness: 0.5}, Seconds: 1.234}, "j1 8r fitness 0.5000 1.23 s"},
		{Report{JobID: "j2", Arch: "8r", Record: fitness.Record{Fitness: math.Inf(-1), Status: fitness.Failed, Reason: "nan"}, Lost: true},
			"j2 8r fitness inf (failed: nan) (another result was stored first) 0.00 s"},
		{Report{JobID: "j3", Arch: "4t", Err: boom, Delivery: 2}, "j3 4t not evaluated, back to the queue (delivery 2): boom 0.00 s"},
		{Report{JobID: "j4", Arch: "4t", Err: boom, Final: true}, "j4 4t failed: boom 0.00 s"},
		{Report{JobID: "j5", Arch: "4t", Err: boom, Final: true, Env: true, Delivery: 3},
			"j5 4t not evaluated, given up on its last delivery (3), the coordinator stops: boom 0.00 s"},
	} {
		if got := c.r.Line(); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}
