package configs_test

import (
	"fmt"

	"github.com/evonas/evonas/configs"
)

func ExampleParse() {
	file := []byte(`
evolution:
  population: 40
  selection:
    method: roulette
`)
	c, err := configs.Parse(file, "runs/wide.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Name, c.Evolution.Population, c.Evolution.Selection.Method, c.Evolution.Generations)
	// Output: wide 40 roulette 15
}

func ExampleParse_error() {
	file := []byte(`
evolution:
  population: 40
  mutaton_rate: 0.5
`)
	_, err := configs.Parse(file, "run.yaml")
	fmt.Println(err)
	// Output: run.yaml:4: evolution.mutaton_rate: unknown key (did you mean mutation_rate?)
}

func ExampleSet() {
	c := configs.Default()
	for _, kv := range [][2]string{
		{"evolution.population", "40"},
		{"search_space.activations", "relu,elu"},
		{"evolution.populaton", "40"},
	} {
		if err := configs.Set(&c, kv[0], kv[1]); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println(c.Evolution.Population, c.SearchSpace.Activations)
	// Output:
	// evolution.populaton: unknown key (did you mean evolution.population?)
	// 40 [relu elu]
}
