package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Serve serves the dashboard on addr until ctx ends, telling w its address
// and warning when addr is reachable from other machines (the dashboard has
// no login: anyone who reaches it sees every run). ready, when set, is
// called with the address actually listened on (addr may ask for port 0).
func (s *Server) Serve(ctx context.Context, addr string, w io.Writer, ready func(addr string)) error {
	if addr == "" {
		// net.Listen would take it as every interface, on any port.
		return &OptionError{"listen", errors.New(`"": empty address (want HOST:PORT, a port from 0 to 65535; :PORT for every interface)`)}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return listenError(addr, err)
	}
	s.Loopback = IsLoopback(ln.Addr().String()) && IsLoopback(addr)
	if !s.Loopback {
		fmt.Fprintf(w, "warning: listening on %s, not loopback: anyone who can reach this address sees every run under %s\n", addr, s.root)
	}
	fmt.Fprintf(w, "evonas ui: serving %s on http://%s/ (read-only; Ctrl-C stops)\n", s.root, browseAddr(ln.Addr()))
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-done:
		return fmt.Errorf("ui: %w", err)
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return nil
	}
}

// OptionError is a bad value of an option of this package, one a command
// takes from a flag: Name is the option ("listen"), Err what is wrong.
type OptionError struct {
	Name string
	Err  error
}

func (e *OptionError) Error() string  { return "ui: " + e.Name + ": " + e.Err.Error() }
func (e *OptionError) Unwrap() error  { return e.Err }
func (e *OptionError) Option() string { return e.Name }

// listenError is net.Listen's error on addr: an OptionError when addr
// itself is wrong (no port, a port out of range, a host with no address),
// which no retry would mend, unlike an address in use.
func listenError(addr string, err error) error {
	var ae *net.AddrError
	var de *net.DNSError
	switch {
	case errors.As(err, &ae):
		return &OptionError{"listen", fmt.Errorf("%q: %s (want HOST:PORT, a port from 0 to 65535)", addr, ae.Err)}
	case errors.As(err, &de) && de.IsNotFound:
		return &OptionError{"listen", fmt.Errorf("%q: no such host", addr)}
	}
	return fmt.Errorf("ui: %w", err)
}

// browseAddr is where a browser on this machine reaches the listener at a:
// one on every interface ([::]:P, 0.0.0.0:P, which a browser cannot open)
// at 127.0.0.1:P.
func browseAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && t.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(t.Port))
	}
	return a.String()
}
