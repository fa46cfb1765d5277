package queue

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// ServerOptions configure an embedded NATS server.
type ServerOptions struct {
	// Listen is HOST:PORT; "" means 127.0.0.1:4222, port 0 a free port.
	// A host other than a loopback address needs User and Password, or
	// Token.
	Listen string
	// StoreDir holds JetStream's files; "" means a temporary directory,
	// removed by Close.
	StoreDir string

	User, Password string // clients must give them
	Token          string // or this token

	// Coordinator and Worker, instead of the above, are the credentials of
	// the two roles: a coordinator may do anything, a worker only what
	// WorkerPermissions allow.
	Coordinator, Worker Credentials

	TLSCert, TLSKey string // serve TLS with this certificate (PEM)
	// TLSCA, with TLSCert, makes it mutual TLS: a client must present a
	// certificate this CA (PEM) signed.
	TLSCA string

	// Log the server's notices to stderr.
	Log bool
}

// Credentials are a user name and password.
type Credentials struct{ User, Password string }

func (c Credentials) set() bool { return c.User != "" || c.Password != "" }

// ErrExposed is returned by Serve for a non-loopback address without
// authentication.
var ErrExposed = errors.New("listening beyond this machine needs authentication")

// Server is an embedded NATS server with JetStream.
type Server struct {
	ns      *server.Server
	tempDir string
	url     string
	store   string
}

// Check reports what is wrong with the options: a bad address, half of a
// user and password or of a TLS certificate, or a non-loopback address
// without authentication (ErrExposed).
func (o ServerOptions) Check() error {
	_, _, err := o.hostPort()
	return err
}

func (o ServerOptions) hostPort() (host string, port int, err error) {
	listen := o.Listen
	if listen == "" {
		listen = "127.0.0.1:4222"
	}
	host, portStr, err := net.SplitHostPort(listen)
	if err != nil {
		return "", 0, &OptionError{"listen", fmt.Errorf("%q: want HOST:PORT", listen)}
	}
	port, err = strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, &OptionError{"listen", fmt.Errorf("%q: bad port", listen)}
	}
	roles := o.Coordinator.set() || o.Worker.set()
	switch {
	case (o.User == "") != (o.Password == ""):
		return "", 0, errors.New("queue: give both a user and a password")
	case o.Token != "" && o.User != "":
		return "", 0, errors.New("queue: give a user and password or a token, not both")
	case roles && (o.User != "" || o.Token != ""):
		return "", 0, errors.New("queue: give coordinator and worker credentials, or one user or token for all, not both")
	case roles && (o.Coordinator.User == "" || o.Coordinator.Password == "" || o.Worker.User == "" || o.Worker.Password == ""):
		return "", 0, errors.New("queue: give a user and a password for both the coordinator and the worker role")
	case roles && o.Coordinator.User == o.Worker.User:
		return "", 0, errors.New("queue: the coordinator and the worker need different user names")
	case (o.TLSCert == "") != (o.TLSKey == ""):
		return "", 0, errors.New("queue: a TLS certificate needs its key")
	case o.TLSCA != "" && o.TLSCert == "":
		return "", 0, errors.New("queue: mutual TLS (a client CA) needs the server's own TLS certificate and key")
	case !isLoopback(host) && o.User == "" && o.Token == "" && !roles:
		return "", 0, fmt.Errorf("queue: %s: %w: give a user and password or a token, or listen on 127.0.0.1", listen, ErrExposed)
	}
	return host, port, nil
}

// Serve starts a NATS server with JetStream file storage and waits until
// it accepts connections.
func Serve(o ServerOptions) (*Server, error) {
	host, port, err := o.hostPort()
	if err != nil {
		return nil, err
	}
	// A wrong file is the user's mistake, named by its option.
	if err := checkTLSFiles("tls_cert", o.TLSCert, "tls_key", o.TLSKey, "tls_ca", o.TLSCA); err != nil {
		return nil, err
	}
	listen := net.JoinHostPort(host, strconv.Itoa(port))
	if port != 0 {
		// Say plainly why the server could not listen, which it only logs.
		ln, err := net.Listen("tcp", listen)
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		ln.Close()
	}
	s := &Server{store: o.StoreDir}
	if s.store == "" {
		if s.tempDir, err = os.MkdirTemp("", "evonas-nats-"); err != nil {
			return nil, err
		}
		s.store = s.tempDir
	} else if err := os.MkdirAll(s.store, 0o700); err != nil {
		return nil, fmt.Errorf("queue: store directory: %w", err)
	}
	opts := &server.Options{
		ServerName:    "evonas",
		Host:          host,
		Port:          port,
		JetStream:     true,
		StoreDir:      s.store,
		Username:      o.User,
		Password:      o.Password,
		Authorization: o.Token,
		NoSigs:        true,
		NoLog:         !o.Log,
		Logtime:       true,
		MaxPayload:    8 << 20,
	}
	if port == 0 {
		opts.Port = server.RANDOM_PORT
	}
	if o.Coordinator.set() {
		pub, sub := WorkerPermissions()
		opts.Users = []*server.User{
			{Username: o.Coordinator.User, Password: o.Coordinator.Password},
			{Username: o.Worker.User, Password: o.Worker.Password, Permissions: &server.Permissions{
				Publish:   &server.SubjectPermission{Allow: pub},
				Subscribe: &server.SubjectPermission{Allow: sub},
			}},
		}
	}
	if o.TLSCert != "" {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: o.TLSCert, KeyFile: o.TLSKey, CaFile: o.TLSCA, Verify: o.TLSCA != ""})
		if err != nil {
			s.cleanup()
			return nil, fmt.Errorf("queue: TLS: %w", err)
		}
		opts.TLSConfig, opts.TLS, opts.TLSVerify = tc, true, o.TLSCA != ""
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		s.cleanup()
		return nil, fmt.Errorf("queue: %w", err)
	}
	if o.Log {
		ns.ConfigureLogger()
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		s.cleanup()
		return nil, fmt.Errorf("queue: the NATS server on %s did not start", listen)
	}
	s.ns = ns
	addr := ns.Addr().(*net.TCPAddr)
	scheme := "nats"
	if opts.TLSConfig != nil {
		scheme = "tls"
	}
	s.url = fmt.Sprintf("%s://%s", scheme, net.JoinHostPort(urlHost(host), strconv.Itoa(addr.Port)))
	return s, nil
}

// URL is the address clients connect to, without credentials.
func (s *Server) URL() string { return s.url }

// StoreDir is where JetStream keeps its files.
func (s *Server) StoreDir() string { return s.store }

// Close shuts the server down and removes a temporary store.
func (s *Server) Close() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
	s.cleanup()
}

func (s *Server) cleanup() {
	if s.tempDir != "" {
		os.RemoveAll(s.tempDir)
	}
}

// urlHost is the host clients dial for a listen host.
func urlHost(host string) string {
	switch host {
	case "", "0.0.0.0":
		return "127.0.0.1"
	case "::":
		return "::1"
	}
	return host
}

// isLoopback reports whether every address of host is a loopback one.
func isLoopback(host string) bool {
	if host == "" {
		return false // every interface
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return false
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return false
		}
	}
	return true
}
