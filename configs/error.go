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

// Suggest returns the name among names closest to s, or "" when none is
// close enough to be a likely typo: a quarter of its letters wrong (at
// least one), a swapped pair counting as one and case ignored, so that
// "Population" finds "population"; failing that, for s of three letters or
// more, the one name that begins with s. The command line suggests its
// commands and flags with it, as configs does its keys.
func Suggest(s string, names []string) string {
	s = strings.ToLower(s)
	limit := max(1, len(s)/4)
	best, bestDist := "", limit+1
	for _, n := range names {
		if d := distance(s, strings.ToLower(n)); d < bestDist {
			best, bestDist = n, d
		}
	}
	if best != "" || len(s) < 3 {
		return best
	}
	for _, n := range names {
		if strings.HasPrefix(strings.ToLower(n), s) {
			if best != "" {
				return ""
			}
			best = n
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent letters.
func distance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
