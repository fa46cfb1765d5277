package model_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
)

// A net trained on a prepared data set, saved as a model file with its
// preprocessor, loaded again and asked about raw rows (read here from CSV
// text; a dataset.Table built in Go does as well).
func ExampleModel_Predict() {
	d, err := dataset.Load("iris", dataset.Options{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	net, err := network.New(network.Spec{
		Inputs:  d.Train.D,
		Hidden:  []network.Layer{{Units: 8, Activation: network.ReLU}},
		Outputs: len(d.Classes),
		Head:    network.Softmax,
	}, 1)
	if err != nil {
		log.Fatal(err)
	}
	train := network.Data{X: d.Train.X, Y: d.Train.Y, N: d.Train.N}
	val := network.Data{X: d.Val.X, Y: d.Val.Y, N: d.Val.N}
	if _, err := net.Train(context.Background(), train, val, network.TrainConfig{Epochs: 100, Batch: 16, LR: 0.01, Seed: 1}); err != nil {
		log.Fatal(err)
	}
	m, err := model.New(d.Name, d.Prep, net, nil)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "evonas-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "iris.json")
	if err := m.Save(path); err != nil {
		log.Fatal(err)
	}

	m, err = model.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	rows, err := dataset.ParseCSV(strings.NewReader(`petal_width,petal_length,sepal_width,sepal_length
0.2,1.4,3.5,5.1
1.3,4.5,2.8,6.1
2.3,5.9,3.1,6.9
`), "new rows")
	if err != nil {
		log.Fatal(err)
	}
	preds, err := m.Predict(rows) // columns are matched by name, in any order
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range preds {
		fmt.Println(p.Label)
	}
	// Output:
	// setosa
	// versicolor
	// virginica
}
