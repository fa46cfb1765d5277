package dataset

import (
	"errors"
	"testing"
)

func TestOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		o           Options
		option, msg string
	}{
		{Options{}, "", ""},
		{Options{Task: Regression, Missing: MissingMean, Rows: 10, Noise: 0.5}, "", ""},
		{Options{Task: "ranking"}, "task", `unknown task "ranking" (want binary, multiclass or regression)`},
		{Options{Missing: "zero"}, "missing", `unknown policy "zero" (want error, drop or mean)`},
		{Options{Rows: -1}, "rows", "-1 is negative"},
		{Options{Noise: -0.5}, "noise", "-0.5 is negative"},
	} {
		err := tc.o.Validate()
		var oe *OptionError
		switch {
		case tc.option == "" && err != nil:
			t.Errorf("%+v: %v, want nil", tc.o, err)
		case tc.option == "":
		case !errors.As(err, &oe) || oe.Option() != tc.option || oe.Err.Error() != tc.msg:
			t.Errorf("%+v: %v, want option %s: %s", tc.o, err, tc.option, tc.msg)
		}
	}
}

func TestParseFractions(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want Fractions
		ok   bool
	}{
		{"0.7,0.15,0.15", Fractions{0.7, 0.15, 0.15}, true},
		{" 0.6, 0.2 ,0.2", Fractions{0.6, 0.2, 0.2}, true},
		{"0.8,0.2", Fractions{}, false},
		{"a,b,c", Fractions{}, false},
		{"0.5,0.25,0.25,0", Fractions{}, false},
	} {
		got, err := ParseFractions(tc.s)
		if tc.ok != (err == nil) || got != tc.want {
			t.Errorf("ParseFractions(%q) = %v, %v; want %v (ok %v)", tc.s, got, err, tc.want, tc.ok)
		}
		var oe *OptionError
		if err != nil && (!errors.As(err, &oe) || oe.Name != "split") {
			t.Errorf("ParseFractions(%q): %v is not an OptionError of split", tc.s, err)
		}
	}
}
