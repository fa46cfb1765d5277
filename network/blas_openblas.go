//go:build openblas && cgo

package network

// The openblas build tag runs every matrix product on OpenBLAS, through
// gonum's cgo binding: gemm sees a BLAS that is not gonum's and calls its
// Dgemm directly, instead of this package's micro-kernels. Everything else
// (activations, losses, the Adam update) stays in Go. See docs/openblas.md.

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
	"testing"

	"golang.org/x/sys/cpu"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"

	"github.com/evonas/evonas/network/internal/openblas"
)

// reexecMarker is set in the environment of a process that re-executed
// itself to choose OpenBLAS's kernels; it stops a second re-exec, and a user
// who sets it (to anything) turns re-exec off.
const reexecMarker = "EVONAS_OPENBLAS_REEXEC"

func init() {
	core := openblas.Core()
	feats := thisCPU()
	if need := coreNeeds(core); !feats.has(need) {
		// Only a forced OPENBLAS_CORETYPE gets here: OpenBLAS's own
		// detection checks the CPU. Its first product would die of an
		// illegal instruction, so the products stay in pure Go.
		warnf("OpenBLAS's %s kernels need %s, which this CPU lacks (OPENBLAS_CORETYPE=%q); the products stay in pure Go", core, need, os.Getenv("OPENBLAS_CORETYPE"))
		return
	}
	if want := betterCore(core, feats); want != "" {
		_, forced := os.LookupEnv("OPENBLAS_CORETYPE")
		_, again := os.LookupEnv(reexecMarker)
		// A test binary is left alone: go test, coverage and debuggers
		// expect the process they started, and its products are only
		// slower, not wrong.
		if !forced && !again && !testing.Testing() {
			reexec(want, core) // returns only if exec failed
		}
		warnf("OpenBLAS runs its generic %s kernels on a CPU with %s; set OPENBLAS_CORETYPE=%s for faster products", core, feats.best(), want)
	}
	// One OpenBLAS thread per call: a search trains several nets at once,
	// one per worker, and the workers already fill the cores.
	openblas.SetThreads(1)
	blas64.Use(netlib.Implementation{})
	blas32.Use(netlib.Implementation{})
}

// features is what a CPU offers OpenBLAS's kernels, the operating system's
// support for the wider registers included.
type features struct{ avx, avx2, avx512 bool }

func thisCPU() features {
	x := cpu.X86
	return features{
		avx:    x.HasAVX,
		avx2:   x.HasAVX2 && x.HasFMA,
		avx512: x.HasAVX512F && x.HasAVX512CD && x.HasAVX512BW && x.HasAVX512DQ && x.HasAVX512VL,
	}
}

// has reports whether f offers need, a name from coreNeeds ("" is always
// offered).
func (f features) has(need string) bool {
	switch need {
	case "AVX":
		return f.avx
	case "AVX2 and FMA":
		return f.avx2
	case "AVX-512":
		return f.avx512
	}
	return true
}

// best names the widest vector extension f offers.
func (f features) best() string {
	switch {
	case f.avx512:
		return "AVX-512"
	case f.avx2:
		return "AVX2 and FMA"
	case f.avx:
		return "AVX"
	}
	return "SSE"
}

// coreNeeds is the instruction set OpenBLAS's kernels for core execute
// beyond SSE3, or "" when this package has nothing to check.
func coreNeeds(core string) string {
	switch core {
	case "SkylakeX", "Cooperlake", "SapphireRapids":
		return "AVX-512"
	case "Haswell", "Zen":
		return "AVX2 and FMA"
	case "Sandybridge":
		return "AVX"
	}
	return ""
}

// genericCores are OpenBLAS 0.3's kernels older than AVX2 (its corename
// strings). Debian's build falls back to Prescott when it does not know a
// CPU, as on some virtual machines.
var genericCores = map[string]bool{
	"Unknown": true, "Katmai": true, "Coppermine": true, "Northwood": true,
	"Prescott": true, "Banias": true, "Atom": true, "Core2": true,
	"Penryn": true, "Dunnington": true, "Nehalem": true, "Athlon": true,
	"Opteron": true, "Opteron_SSE3": true, "Barcelona": true, "Nano": true,
	"Sandybridge": true, "Bobcat": true,
}

// betterCore returns the OPENBLAS_CORETYPE whose kernels suit a CPU with f
// when OpenBLAS chose the generic core, or "" when its choice is fine.
func betterCore(core string, f features) string {
	if !genericCores[core] {
		return ""
	}
	switch {
	case f.avx512:
		return "SKYLAKEX"
	case f.avx2:
		return "HASWELL"
	}
	return ""
}

// reexec replaces the process with itself, same arguments, with
// OPENBLAS_CORETYPE set: OpenBLAS reads it once, when the library loads,
// before any Go code runs. It returns only if the exec failed.
func reexec(coretype, core string) {
	exe := "/proc/self/exe"
	if runtime.GOOS != "linux" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return
		}
	}
	env := append(os.Environ(), "OPENBLAS_CORETYPE="+coretype, reexecMarker+"="+core)
	_ = syscall.Exec(exe, os.Args, env) // the caller warns instead
}

func warnf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "evonas: "+format+"\n", args...)
}
