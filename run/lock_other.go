//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package run

// lockDir does nothing where flock is not available (Windows, Solaris, ...).
func lockDir(dir string) (func(), error) { return func() {}, nil }

// held cannot tell there: a run's status is read from its checkpoint alone.
func held(dir string) (locked, ok bool) { return false, false }
