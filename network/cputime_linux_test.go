package network

import "syscall"

// threadCPU returns the CPU time (user and system) the calling thread has
// consumed, in seconds; the caller locks itself to its thread.
func threadCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
