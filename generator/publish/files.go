package publish

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
)

// File is one file the publish stage adds to the output.
type File struct {
	Path string // slash path under the output folder
	Data []byte
}

// Options describe the site for Files.
type Options struct {
	// BaseURL is the absolute URL the site is published at, ending in "/"; without it there is no
	// sitemap (a sitemap must list absolute URLs) and robots.txt names none.
	BaseURL string
	// CNAME is the custom domain of a GitHub Pages site ("notes.example.com"), or "".
	CNAME string
	// Pages are the output HTML files to list in the sitemap, as Checker.Pages returns them.
	Pages []string
}

// NotFound is the page GitHub Pages shows for a missing URL, at any depth; it is not listed in the sitemap.
const NotFound = "404.html"

// Files returns the files a static host needs beside the pages, in a fixed order:
//
//   - .nojekyll, so GitHub Pages publishes the folder as it is instead of running Jekyll over it (which
//     would drop files whose names start with "_");
//   - sitemap.xml, listing every page's absolute URL, when the base URL is known;
//   - robots.txt, allowing everything and naming the sitemap;
//   - CNAME, holding the custom domain, when there is one.
//
// The output is deterministic (no dates), so rebuilding unchanged notes changes no file.
func Files(opts Options) ([]File, error) {
	files := []File{{Path: ".nojekyll", Data: []byte{}}}
	baseURL := opts.BaseURL
	if baseURL != "" && !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	if baseURL != "" && !strings.Contains(baseURL, "://") {
		baseURL = "" // a root-absolute base ("/notes/") gives no absolute URLs
	}
	if baseURL != "" {
		files = append(files, File{Path: "sitemap.xml", Data: Sitemap(baseURL, opts.Pages)})
	}
	files = append(files, File{Path: "robots.txt", Data: Robots(baseURL)})
	if opts.CNAME != "" {
		domain, err := Domain(opts.CNAME)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: "CNAME", Data: []byte(domain + "\n")})
	}
	return files, nil
}

// PageURL is the URL path of an output HTML file relative to the site root: "glue/" for
// glue/index.html, "" for the home page.
func PageURL(rel string) string {
	if rel == "index.html" {
		return ""
	}
	if d, ok := strings.CutSuffix(rel, "/index.html"); ok {
		return d + "/"
	}
	return rel
}

// Sitemap lists the pages' absolute URLs in the sitemaps.org format, leaving out the 404 page. pages are
// output HTML files; baseURL ends in "/".
func Sitemap(baseURL string, pages []string) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	pages = append([]string(nil), pages...)
	sort.Slice(pages, func(i, j int) bool { return PageURL(pages[i]) < PageURL(pages[j]) })
	for _, rel := range pages {
		if rel == NotFound {
			continue
		}
		b.WriteString("<url><loc>")
		xml.EscapeText(&b, []byte(baseURL+escapeURLPath(PageURL(rel))))
		b.WriteString("</loc></url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// escapeURLPath percent-encodes what may not appear raw in a URL path (spaces, non-ASCII), keeping '/'.
func escapeURLPath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '#' || c == '%' || c == '<' || c == '>' || c == '?' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Robots allows every crawler everywhere and names the sitemap when the base URL is known. Crawlers read
// robots.txt only at the root of a host, so it matters for a custom domain or a user site, and is
// harmless under a project sub-path.
func Robots(baseURL string) []byte {
	s := "User-agent: *\nAllow: /\n"
	if baseURL != "" {
		s += "\nSitemap: " + baseURL + "sitemap.xml\n"
	}
	return []byte(s)
}

// Domain checks a custom domain for the CNAME file and returns it bare: a URL such as
// "https://notes.example.com/" is accepted and reduced to its host, since that is a common way to write it.
func Domain(s string) (string, error) {
	d := strings.TrimSpace(s)
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	}
	d = strings.TrimSuffix(d, "/")
	d = strings.ToLower(d)
	if d == "" {
		return "", fmt.Errorf("cname: %q is not a domain name; write the bare domain, e.g. notes.example.com", s)
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 || len(d) > 253 {
		return "", fmt.Errorf("cname: %q is not a domain name; write the bare domain, e.g. notes.example.com", s)
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", fmt.Errorf("cname: %q is not a domain name; write the bare domain, e.g. notes.example.com", s)
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return "", fmt.Errorf("cname: %q is not a domain name: %q may not contain %q; write the bare domain, e.g. notes.example.com", s, d, r)
			}
		}
	}
	return d, nil
}
