//go:build openblas && cgo

package openblas

/*
#cgo LDFLAGS: -lopenblas
extern void openblas_set_num_threads(int);
extern int openblas_get_num_threads(void);
extern char* openblas_get_corename(void);
extern char* openblas_get_config(void);
*/
import "C"

// SetThreads sets how many threads OpenBLAS uses per call, for the whole
// process.
func SetThreads(n int) { C.openblas_set_num_threads(C.int(n)) }

// Threads is how many threads OpenBLAS uses per call.
func Threads() int { return int(C.openblas_get_num_threads()) }

// Core is the name of the kernels OpenBLAS chose when it loaded ("Haswell",
// "Zen", "Prescott").
func Core() string { return C.GoString(C.openblas_get_corename()) }

// Config is OpenBLAS's description of its build, version first.
func Config() string { return C.GoString(C.openblas_get_config()) }
