//go:build !amd64

package cpupeak

var supported = false

// addChain has no assembly here: the clock it gives is a rough guess.
func addChain(n int) {
	x := 0
	for i := 0; i < n; i++ {
		x += i ^ x
		x += i ^ x
		x += i ^ x
		x += i ^ x
		x += i ^ x
		x += i ^ x
		x += i ^ x
		x += i ^ x
	}
	sink = x
}

var sink int

func fmaLoop(n int) {}

var have512 = false

func fmaLoop512(n int) {}
