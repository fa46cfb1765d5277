package queue

import (
	"strings"
	"testing"
	"time"
)

func TestStatusWriteText(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	st := &Status{
		Streams: []StreamStatus{{Name: "EVONAS_JOBS", Msgs: 3, Bytes: 300}},
		Runs:    []RunStatus{{ID: "r1", Pending: 2, Results: 5}},
		Workers: []Seen{{Worker: "w1", Slots: 4, Jobs: 9, At: now.Add(-90*time.Second + 200*time.Millisecond)}},
	}
	var b strings.Builder
	if err := st.WriteText(&b, now); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"EVONAS_JOBS  3", "r1   2", "w1      4      9     1m30s ago"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}
