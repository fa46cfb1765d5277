//go:build !unix

package main

import "testing"

// mkfifo skips the test: named pipes are Unix's.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	t.Skip("no named pipes on this system")
}
