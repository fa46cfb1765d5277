// Package openblas binds the few OpenBLAS functions outside the BLAS
// standard that evonas needs: its thread count and the kernels it chose.
// It is empty without the openblas build tag and cgo. It lives apart from
// network because a package that uses cgo cannot hold Go assembly, and
// network's micro-kernels are Go assembly.
package openblas
