package dataset

import "fmt"

// Fold returns the j-th of k cross-validation folds of d's training and
// validation rows, for re-evaluating a candidate on validation rows other
// than those it was first measured on. Fold 0 is d itself. Fold j of
// 1..k-1 validates on the j-th of k-1 parts of the training rows (the rows
// i with i mod (k-1) = j-1) and trains on the other training rows and
// d's validation rows; the test rows stay as they are. So over k folds
// every training and validation row is a validation row once, in the
// original validation split or in one of the parts. The rows keep the
// standardization fitted on d's training split, which the validation
// rows of a fold j >= 1 were part of. Fold panics when k < 2 or j is
// outside 0..k-1, or when d has fewer than k-1 training rows: a
// programmer's mistake, which configs rule out.
func (d *Data) Fold(k, j int) *Data {
	if k < 2 || j < 0 || j >= k {
		panic(fmt.Sprintf("dataset: fold %d of %d", j, k))
	}
	if j == 0 {
		return d
	}
	if d.Train.N < k-1 {
		panic(fmt.Sprintf("dataset: %d training rows cannot make %d folds", d.Train.N, k))
	}
	f := *d
	parts := k - 1
	val := Split{D: d.Train.D}
	train := Split{D: d.Train.D}
	for i := range d.Train.N {
		s := &train
		if i%parts == j-1 {
			s = &val
		}
		s.X = append(s.X, d.Train.X[i*d.Train.D:(i+1)*d.Train.D]...)
		s.Y = append(s.Y, d.Train.Y[i])
		s.N++
	}
	train.X = append(train.X, d.Val.X...)
	train.Y = append(train.Y, d.Val.Y...)
	train.N += d.Val.N
	f.Train, f.Val = train, val
	return &f
}
