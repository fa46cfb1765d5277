package fitness

import (
	"encoding/json"
	"math"
)

// A run's files must stay valid JSON whatever a training produced, and
// encoding/json refuses NaN and ±Inf: every non-finite number in a Record is
// written as null and read back as NaN (a fitness, as +Inf).

// number is v as JSON, null when it is not finite.
func number(v float64) json.RawMessage {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return json.RawMessage("null")
	}
	b, _ := json.Marshal(v)
	return b
}

// readNumber reads what number wrote: null is NaN, nothing is 0.
func readNumber(b json.RawMessage, v *float64) error {
	switch string(b) {
	case "":
		*v = 0
	case "null":
		*v = math.NaN()
	default:
		return json.Unmarshal(b, v)
	}
	return nil
}

type scoresJSON struct {
	Loss json.RawMessage `json:"loss"`
	Acc  json.RawMessage `json:"acc,omitempty"`
	R2   json.RawMessage `json:"r2,omitempty"`
	RMSE json.RawMessage `json:"rmse,omitempty"`
	// BalAcc is written only by scores that carry it (Scores.Balanced).
	BalAcc json.RawMessage `json:"bal_acc,omitempty"`
}

// MarshalJSON writes the scores, with null for a non-finite one: the loss,
// and a classification's accuracy or a regression's R² and RMSE. Scores
// do not carry their task; those of a regression are the ones with an R²
// or RMSE other than 0 (both are 0 only for a net that predicts a target
// of one value exactly), so an accuracy of 0 is written as 0, not left
// out. The balanced accuracy (bal_acc) is written by scores that carry
// it (Balanced), and its presence is what sets Balanced when read back.
// Scores all 0 were never measured (a training that failed, a split
// without rows; a trained net's loss is 0 only with an accuracy or R² of
// 1) and are written null, not as a loss of 0, the best there is.
func (s Scores) MarshalJSON() ([]byte, error) {
	if s == (Scores{}) {
		return []byte("null"), nil
	}
	v := scoresJSON{Loss: number(s.Loss)}
	if s.R2 == 0 && s.RMSE == 0 {
		v.Acc = number(s.Acc)
	} else {
		v.R2, v.RMSE = number(s.R2), number(s.RMSE)
	}
	if s.Balanced {
		v.BalAcc = number(s.BalAcc)
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads scores written by MarshalJSON.
func (s *Scores) UnmarshalJSON(b []byte) error {
	var v scoresJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	for _, f := range []struct {
		b json.RawMessage
		v *float64
	}{{v.Loss, &s.Loss}, {v.Acc, &s.Acc}, {v.R2, &s.R2}, {v.RMSE, &s.RMSE}, {v.BalAcc, &s.BalAcc}} {
		if err := readNumber(f.b, f.v); err != nil {
			return err
		}
	}
	s.Balanced = v.BalAcc != nil
	return nil
}

// numbers is a curve with null for its non-finite points.
func numbers(c []float64) []json.RawMessage {
	if c == nil {
		return nil
	}
	out := make([]json.RawMessage, len(c))
	for i, v := range c {
		out[i] = number(v)
	}
	return out
}

// readNumbers reads what numbers wrote.
func readNumbers(bs []json.RawMessage) ([]float64, error) {
	if bs == nil {
		return nil, nil
	}
	out := make([]float64, len(bs))
	for i, b := range bs {
		if err := readNumber(b, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
