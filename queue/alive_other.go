//go:build !unix

package queue

// processAlive cannot tell here, and says yes: a worker's entry then
// keeps its name until it ages out.
func processAlive(pid int) bool { return pid > 0 }
