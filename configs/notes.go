package configs

import "strconv"

// Notes returns what a user should know about a valid config that is not
// an error: settings under which a run will not repeat exactly.
func (c Config) Notes() []string {
	var notes []string
	if c.Evolution.Model == "async_regularized" && c.Workers != 1 {
		w := strconv.Itoa(c.Workers)
		if c.Workers == 0 {
			w = "0, one per CPU"
		}
		notes = append(notes, "evolution.model: async_regularized hands each worker a child the moment it frees up, "+
			"so with more than one worker (workers: "+w+") a run depends on which trainings finish first: "+
			"the same seed does not give the same search twice, nor across worker counts; workers: 1 reproduces a run")
	}
	return notes
}
