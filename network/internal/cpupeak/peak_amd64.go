package cpupeak

import "golang.org/x/sys/cpu"

var (
	supported = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	have512   = supported && cpu.X86.HasAVX512F
)

//go:noescape
func addChain(n int)

//go:noescape
func fmaLoop(n int)

//go:noescape
func fmaLoop512(n int)
