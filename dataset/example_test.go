package dataset_test

import (
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/evonas/evonas/dataset"
)

func ExampleLoad() {
	d, err := dataset.Load("iris", dataset.Options{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Task, d.Classes)
	fmt.Println(d.Features)
	fmt.Println(d.Train.N, d.Val.N, d.Test.N, d.Train.D)
	// Output:
	// multiclass [setosa versicolor virginica]
	// [sepal_length sepal_width petal_length petal_width]
	// 105 23 22 4
}

func ExampleLoad_generated() {
	d, err := dataset.Load("seed-sum", dataset.Options{Seed: 7})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Task, d.Classes, d.Train.N, d.Val.N, d.Test.N, d.Train.D)
	// Output:
	// binary [0 1] 1000 200 200 10
}

func ExamplePrepare() {
	text := "rooms,city,price\n" + strings.Repeat("3,Oslo,310.5\n4,Bergen,402\n2,Oslo,199.5\n", 4)
	t, err := dataset.ParseCSV(strings.NewReader(text), "houses.csv")
	if err != nil {
		log.Fatal(err)
	}
	d, err := dataset.Prepare(t, dataset.Options{Split: dataset.Fractions{Train: 0.5, Val: 0.25, Test: 0.25}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Name, d.Task, d.Features, d.Train.N, d.Val.N, d.Test.N)

	// The preprocessor encodes new rows the same way.
	x, n, err := d.Prep.Transform(&dataset.Table{Source: "new", Columns: []dataset.Column{
		{Name: "city", Str: []string{"Bergen", "Paris"}},
		{Name: "rooms", Num: []float64{4, 3}},
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, x[1:3], x[4:6])
	// Output:
	// houses regression [rooms city=Bergen city=Oslo] 6 3 3
	// 2 [1 0] [0 0]
}

func ExampleInputError() {
	t, err := dataset.ParseCSV(strings.NewReader("a,b,y\n1,2,x\n3,NA,y\n"), "data.csv")
	if err != nil {
		log.Fatal(err)
	}
	_, err = dataset.Prepare(t, dataset.Options{})
	fmt.Println(err)
	var ie *dataset.InputError
	if errors.As(err, &ie) {
		fmt.Println(ie.Source, ie.Line, ie.Column)
	}
	// Output:
	// data.csv:3: column "b": missing value (drop or impute it: --missing drop|mean, or data.missing in a config)
	// data.csv 3 b
}
