package catalog

import (
	_ "embed"
	"strings"
)

// commonwords.txt lists English words that product and project names borrow ("Glue", "Hive", "Spark",
// "Pig", "Flume", "Beam", "Storm"), plus the everyday words a catalog author might use as an alias by
// accident. It only drives a warning, so it favours words that really occur in prose.
//
//go:embed commonwords.txt
var commonWordsText string

var commonWords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonWordsText, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, w := range strings.Fields(line) {
			m[strings.ToLower(w)] = true
		}
	}
	return m
}()
