package network

import "math"

// Schedule is how the learning rate changes over a training's epochs.
type Schedule string

// The learning rate schedules.
const (
	Const  Schedule = "const"  // the learning rate throughout; also ""
	Cosine Schedule = "cosine" // cosine decay from LR towards 0 over Epochs
)

// lrAt returns the learning rate of the given 1-based epoch. With Cosine it
// is LR * (1 + cos(pi * (epoch-1) / Epochs)) / 2, stepped once per epoch as
// PyTorch's CosineAnnealingLR with T_max = Epochs: the first epoch trains at
// LR, the last at LR * (1 + cos(pi * (Epochs-1) / Epochs)) / 2. The schedule
// follows the configured Epochs, so a session run in stages ends as one
// training of all its epochs.
func (c TrainConfig) lrAt(epoch int) float64 {
	if c.Schedule != Cosine {
		return c.LR
	}
	return c.LR * (1 + math.Cos(math.Pi*float64(epoch-1)/float64(c.Epochs))) / 2
}

func (s Schedule) validate() error {
	switch s {
	case "", Const, Cosine:
		return nil
	}
	return optionf("lr_schedule", "unknown learning rate schedule %q (want const or cosine)", s)
}
