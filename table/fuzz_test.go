package table

import (
	"strings"
	"testing"
)

// FuzzRead reads arbitrary text as a table: it must never panic, and a
// table it accepts must number its rows consistently.
func FuzzRead(f *testing.F) {
	f.Add("units_1,lr,val_mse_0,val_mse_1\n8,0.1,1,2\n16,0.1,3,4\n")
	f.Add("depth,width,val_acc_0\n1,8,0.5\n2,8,0.6\n")
	f.Add("depth,units_1,units_2,val_loss_0\n0,,,1\n1,4,,2\n2,4,4,3\n")
	f.Add("activation_1,lr_schedule,val_r2_0,test_r2_0,params\nrelu,cosine,0.5,0.4,10\nrelu,const,-inf,0,10\n")
	f.Fuzz(func(t *testing.T, text string) {
		tb, err := Read(strings.NewReader(text), "f.csv")
		if err != nil {
			if _, ok := err.(*Error); !ok && !strings.Contains(err.Error(), "f.csv") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for i := range tb.Len() {
			if j, ok := tb.Index(tb.Genome(i)); !ok || j != i {
				t.Fatalf("row %d: Index(Genome) = %d, %v", i, j, ok)
			}
		}
	})
}
