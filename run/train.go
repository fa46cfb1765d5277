package run

import (
	"context"
	"fmt"
	"io"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
)

// TrainOptions are one net's training on one data set (evonas train).
type TrainOptions struct {
	Data        string // a built-in data set or a CSV file, read with DataOptions
	DataOptions dataset.Options
	Hidden      []network.Layer
	Training    network.TrainConfig // its Seed initializes the weights too
	Out         string              // save the model to this file; "" for none
	Force       bool                // replace Out if it exists
	// Loaded, when set, sees the data once they are loaded, before the
	// training starts.
	Loaded func(*dataset.Data)
	// Note, when set, gets each note on the data (their Notes) and on the
	// training (a batch larger than the training rows), before it starts.
	Note func(string)
	// Log, when set, gets a line per epoch: its losses.
	Log io.Writer
}

// Train trains one net and returns its report and data. Out is checked
// (CheckOut) before anything is loaded; the model saved there records the
// training and the report. A Patience with no validation rows to watch is
// an *OptionError.
func Train(ctx context.Context, o TrainOptions) (*fitness.TrainReport, *dataset.Data, error) {
	if err := CheckOut(o.Out, o.Force); err != nil {
		return nil, nil, err
	}
	d, err := LoadData(o.Data, o.DataOptions)
	if err != nil {
		return nil, nil, err
	}
	if o.Loaded != nil {
		o.Loaded(d)
	}
	if p := o.Training.Patience; p > 0 && d.Val.N == 0 {
		// Early stopping watches the validation loss: without validation
		// rows it would silently never stop.
		return nil, nil, optionf("patience", "%d needs validation rows to stop on, and the split has none", p)
	}
	if o.Note != nil {
		for _, n := range d.Notes {
			o.Note(n)
		}
		if b, n := o.Training.Batch, d.Train.N; b > n {
			o.Note(fmt.Sprintf("--batch %d is more than the %d training rows; each epoch is one batch of %d", b, n, n))
		}
	}
	if w, next := o.Log, o.Training.OnEpoch; w != nil {
		o.Training.OnEpoch = func(s network.EpochStats) bool {
			if d.Val.N > 0 {
				fmt.Fprintf(w, "epoch %d/%d: train loss %.4f, val loss %.4f\n", s.Epoch, o.Training.Epochs, s.TrainLoss, s.Val.Loss)
			} else {
				fmt.Fprintf(w, "epoch %d/%d: train loss %.4f\n", s.Epoch, o.Training.Epochs, s.TrainLoss)
			}
			return next != nil && next(s)
		}
	}
	seed := o.Training.Seed
	trained, err := fitness.Train(ctx, d, o.Hidden, o.Training, seed)
	if err != nil {
		return nil, nil, err
	}
	rep := fitness.NewTrainReport(d, o.Hidden, trained, seed)
	rep.Model, rep.Precision = o.Out, string(o.Training.Precision)
	if o.Out != "" {
		m, err := model.New(d.Name, d.Prep, trained.Net, map[string]any{"command": "train", "training": o.Training, "metrics": rep})
		if err != nil {
			return nil, nil, err
		}
		if err := m.Save(o.Out); err != nil {
			return nil, nil, err
		}
	}
	return &rep, d, nil
}
