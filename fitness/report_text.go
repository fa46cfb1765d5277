package fitness

import (
	"fmt"
	"io"

	"github.com/evonas/evonas/dataset"
)

// WriteText prints the report as evonas train does: the net and data, its
// size and speed, its scores (an empty split says so rather than print
// zeros), and the model file if saved. d is the data it trained on.
func (rep TrainReport) WriteText(w io.Writer, d *dataset.Data) {
	fmt.Fprintf(w, "trained %s on %s (%s; %d train, %d validation, %d test rows)\n", rep.Arch, d.Name, d.Task, d.Train.N, d.Val.N, d.Test.N)
	epochs := "epochs"
	if rep.EpochsRun == 1 {
		epochs = "epoch"
	}
	fmt.Fprintf(w, "%d parameters, %d %s (best %d) in %.2f s, %.0f training samples/s\n", rep.Params, rep.EpochsRun, epochs, rep.BestEpoch, rep.TrainS, rep.SamplesPerS)
	val, test := "no validation rows", "no test rows"
	if d.Task == dataset.Regression {
		if rep.ValR2 != nil {
			val = fmt.Sprintf("validation R² %.4f, RMSE %.4g", *rep.ValR2, *rep.ValRMSE)
		}
		if rep.TestR2 != nil {
			test = fmt.Sprintf("test R² %.4f, RMSE %.4g", *rep.TestR2, *rep.TestRMSE)
		}
	} else {
		if rep.ValAcc != nil {
			val = fmt.Sprintf("validation loss %.4f, accuracy %.4f", *rep.ValLoss, *rep.ValAcc)
		}
		if rep.TestAcc != nil {
			test = fmt.Sprintf("test accuracy %.4f", *rep.TestAcc)
		}
	}
	fmt.Fprintf(w, "%s; %s\n", val, test)
	if rep.Model != "" {
		fmt.Fprintf(w, "model saved to %s\n", rep.Model)
	}
}
