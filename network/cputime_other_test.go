//go:build !linux

package network

// threadCPU is not measured outside Linux.
func threadCPU() float64 { return 0 }
