package network

import (
	"fmt"
	"math"
)

// DefaultMaxMemory is the memory a training may need when
// TrainConfig.MaxMemory is 0: 4 GiB.
const DefaultMaxMemory int64 = 4 << 30

// MemoryError is a net too large to train within the memory limit.
type MemoryError struct {
	Need  int64 // estimated bytes (math.MaxInt64 when beyond counting)
	Limit int64
	Batch int
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("network: training this net needs about %s (weights, optimizer state and the activations of a batch of %d), over the limit of %s",
		bytesString(e.Need), e.Batch, bytesString(e.Limit))
}

// bytesString writes n in GiB, or MiB below one GiB.
func bytesString(n int64) string {
	switch {
	case n == math.MaxInt64:
		return "more than 8 EiB"
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// TrainingMemory estimates the bytes a training of a net of this spec with
// cfg on trainN rows (and valN validation rows) allocates: the weights,
// their gradients, the optimizer's state and the best weights kept for
// early stopping, the activations, deltas and dropout masks of one
// minibatch, the evaluator's buffers, the shuffled row order, and for a
// float32 training its float32 copies of the weights and of the training
// inputs. The data themselves are not counted. A spec too large to count
// gives math.MaxInt64.
func (s Spec) TrainingMemory(cfg TrainConfig, trainN, valN int) int64 {
	cfg = cfg.withDefaults()
	batch := float64(max(1, min(cfg.Batch, trainN)))
	// Counted in float64: a careless width must not overflow an int.
	var params, maxWT, perRow, evalRow float64
	in := float64(s.Inputs)
	outs := make([]float64, 0, len(s.Hidden)+1)
	drop := make([]bool, 0, len(s.Hidden)+1)
	for _, l := range s.Hidden {
		outs, drop = append(outs, float64(l.Units)), append(drop, l.Dropout > 0)
	}
	outs, drop = append(outs, float64(s.Outputs)), append(drop, false)
	for i, out := range outs {
		params += (in + 1) * out
		if i > 0 {
			maxWT = math.Max(maxWT, in*out)
		}
		perRow += 2 * out // activations and deltas
		if drop[i] {
			perRow += 2 * out // dropout masks
		}
		evalRow += out
		in = out
	}
	yWidth := 1.0
	if s.Head == Regression {
		yWidth = float64(s.Outputs)
	}
	inputs := float64(s.Inputs)
	// Always in float64: the net's weights, early stopping's copy, the
	// evaluator, the targets of a minibatch and the row order.
	f64 := params + evalChunk*evalRow + batch*yWidth + float64(trainN)
	if cfg.Patience > 0 && valN > 0 {
		f64 += params
	}
	copies := 2.0 // gradients, and momentum or Adam's first moment
	if cfg.Optimizer == Adam {
		copies++
	}
	// The training step's buffers, in its precision.
	step := copies*params + maxWT + batch*(inputs+perRow)
	b := 8 * (f64 + step)
	if cfg.Precision == Float32 {
		// float32 weights too, and the training inputs converted once.
		b = 8*f64 + 4*(step+params+float64(trainN)*inputs)
	}
	if b >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(b)
}

// CheckMemory returns a *MemoryError when training a net of this spec with
// cfg needs more than cfg.MaxMemory (DefaultMaxMemory when 0).
func (s Spec) CheckMemory(cfg TrainConfig, trainN, valN int) error {
	limit := cfg.MaxMemory
	if limit == 0 {
		limit = DefaultMaxMemory
	}
	if need := s.TrainingMemory(cfg, trainN, valN); need > limit {
		return &MemoryError{Need: need, Limit: limit, Batch: max(1, min(cfg.withDefaults().Batch, trainN))}
	}
	return nil
}
