package configs

import (
	"bufio"
	"bytes"
	"strings"
)

// Description is the first sentence of the comment that opens a shipped
// config, or "" if it has none before its first key.
func Description(name string) (string, error) {
	data, err := ReadEmbedded(name)
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	var words []string
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "#") {
			if line == "" && len(words) == 0 {
				continue
			}
			break
		}
		words = append(words, strings.Fields(strings.TrimPrefix(line, "#"))...)
	}
	text := strings.Join(words, " ")
	if i := strings.Index(text, ". "); i >= 0 {
		text = text[:i+1]
	}
	return text, nil
}
