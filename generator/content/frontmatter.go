package content

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/diag"
	"go.yaml.in/yaml/v3"
)

// FrontMatter is the optional YAML block at the top of a note.
type FrontMatter struct {
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Weight      int      `yaml:"weight"`
	Draft       bool     `yaml:"draft"`
	Aliases     []string `yaml:"aliases"`
	// Service names the catalog service this note is the home of.
	Service string `yaml:"service"`
}

// knownKeys are the front-matter keys Lectern reads; others are kept quiet for Jekyll/Hugo notes but warned.
var knownKeys = map[string]bool{"title": true, "description": true, "weight": true, "draft": true, "aliases": true, "service": true}

// Split separates front matter from the body. It accepts a UTF-8 byte order mark and CRLF line endings.
// bodyLine is the 1-based line of the file on which body starts. A file that opens a block with --- and
// never closes it is an error at line 1, since everything after it would otherwise vanish into YAML.
func Split(data []byte) (fm, body []byte, bodyLine int, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	first, rest, ok := cutLine(data)
	if !ok && len(first) == 0 || strings.TrimRight(string(first), " \t\r") != "---" {
		return nil, data, 1, nil
	}
	line := 2
	fmLen := 0 // bytes of rest before the current line: the front matter so far
	for pos := rest; len(pos) > 0; {
		l, next, _ := cutLine(pos)
		if t := strings.TrimRight(string(l), " \t\r"); t == "---" || t == "..." {
			return rest[:fmLen], next, line + 1, nil
		}
		fmLen += len(pos) - len(next)
		pos = next
		line++
	}
	return nil, nil, 0, errors.New("front matter opened with --- on line 1 is never closed with ---")
}

// cutLine returns the first line (without its newline) and the rest.
func cutLine(b []byte) (line, rest []byte, found bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return b[:i], b[i+1:], true
}

// ParseFrontMatter decodes a front-matter block. Errors carry the line in the file (the block starts on
// line 2); unknown keys come back as warnings, not errors, because notes written for Jekyll or Hugo carry
// keys of their own (layout, tags) that should not stop a build.
func ParseFrontMatter(file string, fm []byte) (FrontMatter, []string, error) {
	out, ws, err := parseFrontMatter(file, fm)
	var warnings []string
	for _, w := range ws {
		warnings = append(warnings, w.Error())
	}
	return out, warnings, err
}

// parseFrontMatter is ParseFrontMatter with its warnings as diagnostics, so the load stage reports them
// as file:line like every other message.
func parseFrontMatter(file string, fm []byte) (FrontMatter, []diag.Diagnostic, error) {
	var out FrontMatter
	if len(bytes.TrimSpace(fm)) == 0 {
		return out, nil, nil
	}
	fm = bytes.ReplaceAll(fm, []byte("\r\n"), []byte("\n"))
	var root yaml.Node
	if err := yaml.Unmarshal(fm, &root); err != nil {
		return out, nil, config.YAMLError(file, 1, err)
	}
	if len(root.Content) == 0 {
		return out, nil, nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return out, nil, config.YAMLError(file, 1, fmt.Errorf("line %d: front matter must be a mapping of keys to values", m.Line))
	}
	var warnings []diag.Diagnostic
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if !knownKeys[k.Value] {
			warnings = append(warnings, diag.WarnAt(file, k.Line+1, "unknown front matter key %q (known: aliases, description, draft, service, title, weight)", k.Value))
		}
	}
	if err := m.Decode(&out); err != nil {
		return out, warnings, config.YAMLError(file, 1, err)
	}
	return out, warnings, nil
}
