package queue

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/evonas/evonas/fitness"
)

// TestServerGone: a coordinator whose server is gone for longer than it
// tries to reconnect stops with a *StopError; it does not spin
// resubmitting its evaluations.
func TestServerGone(t *testing.T) {
	s, err := Serve(ServerOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Connect(context.Background(), Options{URL: s.URL(), GiveUp: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	b := startBackend(t, c, RunID("gone"))
	d, _ := testData(t)
	ev := fitness.NewEvaluator(d, testSettings, 1, 4)
	ev.SetBackend(b)
	done := make(chan error, 1)
	go func() {
		_, err := ev.Evaluate(context.Background(), poisonGenomes(), 0)
		done <- err
	}()
	for deadline := time.Now().Add(5 * time.Second); b.Stats().Published < len(poisonGenomes()); {
		if time.Now().After(deadline) {
			t.Fatalf("jobs not published: %+v", b.Stats())
		}
		time.Sleep(time.Millisecond)
	}
	s.Close() // no worker: the jobs wait, then the server is gone
	start := time.Now()
	select {
	case err := <-done:
		var stop *StopError
		if !errors.As(err, &stop) || !strings.Contains(err.Error(), "could not reconnect") {
			t.Errorf("Evaluate returned %v, want a StopError about the lost connection", err)
		}
		t.Logf("stopped %.1f s after the server: %v", time.Since(start).Seconds(), err)
	case <-time.After(15 * time.Second):
		t.Fatalf("Evaluate still running 15 s after the server stopped (GiveUp 1 s); stats %+v", b.Stats())
	}
}
