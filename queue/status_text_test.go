package queue

import (
	"strings"
	"testing"
	"time"
)

func TestStatusWriteText(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	fp := "sha256:0123456789abcdef0123456789abcdef"
	st := &Status{
		Streams: []StreamStatus{{Name: "EVONAS_JOBS", Msgs: 3, Bytes: 300}},
		Runs: []RunStatus{{ID: "r1", Pending: 2, Results: 5, Consumer: true, AckWaitS: 6, Data: fp, DataName: "digits"},
			{ID: "r2", Results: 1}},
		Data:    []DataStatus{{Fingerprint: fp, Bytes: 1234, Runs: []string{"r1"}}, {Fingerprint: "sha256:ff", Bytes: 10}},
		Workers: []Seen{{Worker: "w1", Slots: 4, Jobs: 9, At: now.Add(-90*time.Second + 200*time.Millisecond)}},
	}
	var b strings.Builder
	if err := st.WriteText(&b, now); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"EVONAS_JOBS  3", "r1   2             5        6s        digits sha256:0123456789ab", "r2   0             1        -         -",
		"sha256:0123456789ab  1234   r1", "sha256:ff            10     no run", "w1      4      9     1m30s ago"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func TestPurgedLine(t *testing.T) {
	for _, tc := range []struct {
		p    Purged
		want string
	}{
		{Purged{Jobs: 3, Results: 2}, "run r: dropped 3 jobs and 2 results"},
		{Purged{Jobs: 0, Results: 2, Consumer: true, Data: []string{"sha256:0123456789abcdef0123"}, DataBytes: 99},
			"run r: dropped 0 jobs and 2 results, its consumer, its data set sha256:0123456789ab (99 bytes)"},
	} {
		if got := tc.p.Line("r"); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	if got, want := DataPurgedLine([]string{"a", "b"}, 7), "dropped 2 data sets that no run needs (7 bytes)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
