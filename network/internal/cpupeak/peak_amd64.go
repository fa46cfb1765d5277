package cpupeak

import "golang.org/x/sys/cpu"

var supported = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func addChain(n int)

//go:noescape
func fmaLoop(n int)
