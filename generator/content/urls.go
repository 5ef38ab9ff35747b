package content

import (
	"path"
	"strings"
	"unicode"
)

// URLFor maps a note's path under content/ (slash-separated) to its pretty URL, relative to the site root
// and without a leading slash: "glue.md" → "glue/", "emr/index.md" → "emr/", "index.md" → "" (home).
// Every path element is slugged so that spaces, '#' and '?' never reach a URL.
func URLFor(rel string) string {
	rel = strings.TrimSuffix(rel, path.Ext(rel))
	parts := strings.Split(rel, "/")
	if last := parts[len(parts)-1]; last == "index" || last == "_index" || last == "README" {
		parts = parts[:len(parts)-1]
	}
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		b.WriteString(Slug(p))
		b.WriteByte('/')
	}
	return b.String()
}

// DirURL is the URL of the section page for a folder under content/.
func DirURL(dir string) string {
	if dir == "." || dir == "" {
		return ""
	}
	return URLFor(dir + "/index.md")
}

// Slug lower-cases s and keeps letters and digits of any script, turning every other run into one hyphen.
// It is used for URLs and heading IDs alike, so an anchor written by hand can be predicted from its heading.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '.' && b.Len() > 0:
			// keep dots inside words (m5.xlarge, v1.2) but not leading ones
			if dash {
				b.WriteByte('-')
				dash = false
			}
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	out := strings.Trim(b.String(), ".-")
	if out == "" {
		return "page"
	}
	return out
}

// Rel returns the relative reference from the page at URL from to the site path to (both root-relative,
// as URLFor returns them). Relative links keep the site working under any sub-path and from disk.
func Rel(from, to string) string {
	depth := strings.Count(from, "/")
	if depth == 0 {
		if to == "" {
			return "./"
		}
		return to
	}
	prefix := strings.Repeat("../", depth)
	return prefix + to
}

// Root is the relative path from a page to the site root ("./" at the root itself).
func Root(from string) string { return Rel(from, "") }
