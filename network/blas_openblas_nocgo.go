//go:build openblas && !cgo

package network

// Without cgo the openblas tag would quietly build the pure-Go products;
// this line stops the build instead.
var _ int = "the openblas build tag needs cgo: CGO_ENABLED=1 and a C compiler"
