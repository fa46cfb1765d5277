package network_test

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/evonas/evonas/network"
)

// One net trained directly, without a genome or a data set: XOR of the
// signs of two inputs, made here in Go.
func ExampleNet_Train() {
	makeData := func(n int, seed uint64) network.Data {
		r := rand.New(rand.NewPCG(seed, 0))
		d := network.Data{X: make([]float64, 2*n), Y: make([]float64, n), N: n}
		for i := range n {
			a, b := 2*r.Float64()-1, 2*r.Float64()-1
			d.X[2*i], d.X[2*i+1] = a, b
			if (a < 0) != (b < 0) {
				d.Y[i] = 1 // the class index
			}
		}
		return d
	}
	train, val := makeData(400, 1), makeData(100, 2)

	net, err := network.New(network.Spec{
		Inputs:  2,
		Hidden:  []network.Layer{{Units: 16, Activation: network.Tanh}},
		Outputs: 1, // a Binary head has one output: the probability of class 1
		Head:    network.Binary,
	}, 1)
	if err != nil {
		log.Fatal(err)
	}
	// Zero fields take their defaults: Adam, a learning rate of 1e-3, float64.
	res, err := net.Train(context.Background(), train, val, network.TrainConfig{Epochs: 60, Batch: 16, LR: 0.01, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d params, %d epochs, validation accuracy %.2f\n", net.Params(), res.Epochs, res.Val.Accuracy)

	out := net.Predict([]float64{0.5, 0.5, 0.5, -0.5}, 2, nil)
	fmt.Printf("P(class 1): %.1f %.1f\n", out[0], out[1])
	// Output:
	// 65 params, 60 epochs, validation accuracy 1.00
	// P(class 1): 0.0 1.0
}
