package queue

import (
	"context"
	"errors"
	"net"
	"runtime"
	"testing"
	"time"
)

// TestWork: a worker process says its slots and server once connected and
// returns nil when stopped; one whose server never comes returns
// ErrNoServer; negative slots are refused before any connection.
func TestWork(t *testing.T) {
	s := serve(t)
	// A coordinator makes the streams a worker waits for.
	coord, err := Connect(context.Background(), Options{URL: s.URL()})
	if err != nil {
		t.Fatal(err)
	}
	defer coord.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var gotSlots int
	var gotURL string
	err = Work(ctx, Options{URL: s.URL()}, &Worker{}, func(slots int, url string) {
		gotSlots, gotURL = slots, url
		cancel()
	})
	if err != nil || gotSlots != runtime.NumCPU() || gotURL != s.URL() {
		t.Errorf("Work: %v, ready with %d slots on %q; want nil, %d slots on %q", err, gotSlots, gotURL, runtime.NumCPU(), s.URL())
	}

	// A port nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	called := false
	if err := Work(ctx, Options{URL: "nats://" + addr}, &Worker{Slots: 1}, func(int, string) { called = true }); !errors.Is(err, ErrNoServer) || called {
		t.Errorf("Work without a server: %v, ready called %v; want ErrNoServer and no call", err, called)
	}

	var oe *OptionError
	if err := Work(context.Background(), Options{URL: s.URL()}, &Worker{Slots: -1}, nil); !errors.As(err, &oe) || oe.Option() != "slots" {
		t.Errorf("Work with -1 slots: %v, want an OptionError of slots", err)
	}
}
