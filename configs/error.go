package configs

import (
	"strconv"
	"strings"
)

// Error is a mistake in a configuration: an unknown key, a value of the wrong
// type or out of range, or a file that is not YAML. The command line reports
// it with exit status 2.
type Error struct {
	File string // file name as given to Load or Parse; "" for configs built in code
	Line int    // 1-based line in File; 0 when unknown
	Key  string // dotted key such as "evolution.population"; "" for whole-file errors
	Msg  string
}

// Error formats e as "file:line: key: msg", leaving out the parts that are
// unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		if e.File == "" {
			b.WriteString("line ")
		} else {
			b.WriteString(":")
		}
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Key != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Key)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// suggest returns the candidate closest to name, or "" when none is close
// enough to be a likely typo. Case is ignored so that "Population" finds
// "population".
func suggest(name string, candidates []string) string {
	name = strings.ToLower(name)
	limit := max(1, len(name)/4)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if d := distance(name, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the Levenshtein edit distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
