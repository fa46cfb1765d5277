package fitness

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evonas/evonas/genome"
)

func TestPoolBound(t *testing.T) {
	d := testData(t)
	var gs []genome.Genome
	for units := 2; len(gs) < 6; units++ {
		gs = append(gs, dense(units, "relu", 0.01, 16))
	}
	for _, workers := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			ev := NewEvaluator(d, Settings{Epochs: 1}, 1, workers)
			var running, peak atomic.Int32
			full := make(chan struct{})
			release := sync.OnceFunc(func() { close(full) })
			var once sync.Once
			ev.trainHook = func() {
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				if int(n) >= workers {
					// Give a training beyond the bound time to start.
					once.Do(func() { time.AfterFunc(50*time.Millisecond, release) })
				}
				// The first trainings wait until the pool is full, so a pool
				// that runs fewer at once than its size, or more, shows.
				select {
				case <-full:
				case <-time.After(2 * time.Second): // the pool never filled
					release()
				}
				running.Add(-1)
			}
			if _, err := ev.Evaluate(context.Background(), gs, 0); err != nil {
				t.Fatal(err)
			}
			if got := int(peak.Load()); got != workers {
				t.Errorf("at most %d trainings ran at once, want %d", got, workers)
			}
		})
	}
}
