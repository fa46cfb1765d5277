//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package run

// lockDir does nothing where flock is not available (Windows, Solaris, ...).
func lockDir(dir string) (func(), error) { return func() {}, nil }
