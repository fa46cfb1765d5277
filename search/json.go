package search

import (
	"encoding/json"
	"math"
)

// A run's files must stay valid JSON when a whole generation failed (its
// best fitness is +Inf, its mean has no finite value to average) or a
// strategy found nothing (NaN summaries), and encoding/json refuses NaN and
// ±Inf: the types here write every non-finite number as null and read null
// back as NaN, or +Inf for a fitness.

// orElse is *p, or def when p is nil.
func orElse(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}

type generationJSON GenerationStats

type generationNulls struct {
	generationJSON
	Best       *float64 `json:"best"`
	Mean       *float64 `json:"mean"`
	Std        *float64 `json:"std"`
	BestSoFar  *float64 `json:"best_so_far"`
	BestMetric *float64 `json:"best_metric"`
	Diversity  *float64 `json:"diversity"`
}

// MarshalJSON writes the statistics, with null for a non-finite number:
// the best fitness of a generation whose every member failed, say.
func (g GenerationStats) MarshalJSON() ([]byte, error) {
	return json.Marshal(generationNulls{generationJSON(g), finitePtr(g.Best), finitePtr(g.Mean), finitePtr(g.Std),
		finitePtr(g.BestSoFar), finitePtr(g.BestMetric), finitePtr(g.Diversity)})
}

// UnmarshalJSON reads what MarshalJSON wrote: a null fitness is +Inf, any
// other null NaN.
func (g *GenerationStats) UnmarshalJSON(b []byte) error {
	var v generationNulls
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	inf, nan := math.Inf(1), math.NaN()
	*g = GenerationStats(v.generationJSON)
	g.Best, g.Mean, g.Std = orElse(v.Best, inf), orElse(v.Mean, nan), orElse(v.Std, nan)
	g.BestSoFar, g.BestMetric, g.Diversity = orElse(v.BestSoFar, inf), orElse(v.BestMetric, nan), orElse(v.Diversity, nan)
	return nil
}

type summaryJSON struct {
	N      int      `json:"n"`
	Mean   *float64 `json:"mean"`
	Std    *float64 `json:"std"`
	Median *float64 `json:"median"`
	Q1     *float64 `json:"q1"`
	Q3     *float64 `json:"q3"`
	Min    *float64 `json:"min"`
	Max    *float64 `json:"max"`
}

// MarshalJSON writes the summary, with null for NaN (a summary of nothing).
func (s Summary) MarshalJSON() ([]byte, error) {
	return json.Marshal(summaryJSON{s.N, finitePtr(s.Mean), finitePtr(s.Std), finitePtr(s.Median),
		finitePtr(s.Q1), finitePtr(s.Q3), finitePtr(s.Min), finitePtr(s.Max)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (s *Summary) UnmarshalJSON(b []byte) error {
	var v summaryJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	nan := math.NaN()
	*s = Summary{N: v.N, Mean: orElse(v.Mean, nan), Std: orElse(v.Std, nan), Median: orElse(v.Median, nan),
		Q1: orElse(v.Q1, nan), Q3: orElse(v.Q3, nan), Min: orElse(v.Min, nan), Max: orElse(v.Max, nan)}
	return nil
}

type seedJSON SeedResult

type seedNulls struct {
	seedJSON
	BestVal  *float64 `json:"best_val"`
	BestTest *float64 `json:"best_test"`
}

// MarshalJSON writes the result, with null metrics for a run that found no
// architecture that trained.
func (s SeedResult) MarshalJSON() ([]byte, error) {
	return json.Marshal(seedNulls{seedJSON(s), finitePtr(s.BestVal), finitePtr(s.BestTest)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (s *SeedResult) UnmarshalJSON(b []byte) error {
	var v seedNulls
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = SeedResult(v.seedJSON)
	s.BestVal, s.BestTest = orElse(v.BestVal, math.NaN()), orElse(v.BestTest, math.NaN())
	return nil
}

type testJSON Test

type testNulls struct {
	testJSON
	PValue *float64 `json:"p_value"`
	A12    *float64 `json:"a12"`
}

// MarshalJSON writes the test, with null for a statistic that could not be
// computed.
func (t Test) MarshalJSON() ([]byte, error) {
	return json.Marshal(testNulls{testJSON(t), finitePtr(t.PValue), finitePtr(t.A12)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (t *Test) UnmarshalJSON(b []byte) error {
	var v testNulls
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*t = Test(v.testJSON)
	t.PValue, t.A12 = orElse(v.PValue, math.NaN()), orElse(v.A12, math.NaN())
	return nil
}
