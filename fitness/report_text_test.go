package fitness

import (
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
)

func TestTrainReportWriteText(t *testing.T) {
	acc, r2, rmse, loss := 0.875, 0.5, 1.25, 0.25
	d := &dataset.Data{Name: "iris", Task: dataset.Multiclass}
	d.Train.N, d.Val.N = 100, 20
	rep := TrainReport{Arch: "8r", Params: 67, EpochsRun: 5, BestEpoch: 4, ValLoss: &loss, ValAcc: &acc, Model: "m.json"}
	var b strings.Builder
	rep.WriteText(&b, d)
	want := "trained 8r on iris (multiclass; 100 train, 20 validation, 0 test rows)\n" +
		"67 parameters, 5 epochs (best 4) in 0.00 s, 0 training samples/s\n" +
		"validation loss 0.2500, accuracy 0.8750; no test rows\n" +
		"model saved to m.json\n"
	if b.String() != want {
		t.Errorf("got\n%swant\n%s", b.String(), want)
	}

	rep.EpochsRun, rep.BestEpoch = 1, 1
	b.Reset()
	rep.WriteText(&b, d)
	if want := "67 parameters, 1 epoch (best 1) in"; !strings.Contains(b.String(), want) {
		t.Errorf("one epoch: got\n%swant a line starting %q", b.String(), want)
	}

	d.Task = dataset.Regression
	rep = TrainReport{TestR2: &r2, TestRMSE: &rmse}
	b.Reset()
	rep.WriteText(&b, d)
	if !strings.Contains(b.String(), "no validation rows; test R² 0.5000, RMSE 1.25\n") || strings.Contains(b.String(), "model saved") {
		t.Errorf("regression without validation scores or model:\n%s", b.String())
	}
}
