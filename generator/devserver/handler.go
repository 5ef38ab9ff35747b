package devserver

import (
	"bytes"
	_ "embed"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// ReservedPrefix is the URL path the dev server keeps for itself, outside any base path: the live-reload
// client and its event stream. No site file can live there (content names starting with "_" are data,
// never published).
const ReservedPrefix = "/_lectern/"

// EventsPath is the Server-Sent Events endpoint each open tab connects to.
const EventsPath = ReservedPrefix + "events"

// clientPath serves live.js.
const clientPath = ReservedPrefix + "live.js"

// zeroTime leaves Last-Modified out: site files have a hash (ETag), not a meaningful time.
var zeroTime time.Time

//go:embed live.js
var liveJS []byte

// contentTypes are the media types of the files a site holds. They are fixed here rather than taken
// from the system's mime.types, so a page is served the same way on every machine; other extensions
// fall back to the mime package.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".xml":   "application/xml",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/plain; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".ico":   "image/x-icon",
	".pdf":   "application/pdf",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".ttf":   "font/ttf",
	".wasm":  "application/wasm",
	".csv":   "text/csv; charset=utf-8",
	".mp4":   "video/mp4",
	".webm":  "video/webm",
}

// contentType picks the media type of a site file by its extension, sniffing its bytes when the
// extension says nothing.
func contentType(name string, data []byte) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return http.DetectContentType(data)
}

// ServeHTTP serves the current snapshot, the live-reload client and its event stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: the dev server only serves GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if !safePath(p) {
		http.Error(w, "bad request path", http.StatusBadRequest)
		return
	}
	if c := cleanPath(p); c != p {
		redirect(w, r, c)
		return
	}
	if strings.HasPrefix(p, ReservedPrefix) {
		s.serveReserved(w, r, p)
		return
	}
	snap := s.cur.Load()
	if snap == nil {
		s.serveNoSite(w, r)
		return
	}
	t := snap.resolve(p)
	switch {
	case t.status == http.StatusFound:
		redirect(w, r, t.location)
	case t.file == "":
		w.Header().Set("Cache-Control", "no-cache")
		http.Error(w, "404 page not found", http.StatusNotFound)
	default:
		data, sum, _ := snap.served(t.file)
		serveFile(w, r, t.file, data, sum, t.status)
	}
}

// safePath refuses what no site file can be named and what only an attempt to leave the site would
// send: a relative path, ".." segments (also when they arrived %-encoded as %2e%2e or with an encoded
// slash), backslashes and NUL bytes. The site is served from memory, so nothing outside it is reachable
// anyway; this makes the refusal explicit instead of relying on it.
func safePath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return false
		}
	}
	return true
}

// cleanPath removes "." segments and doubled slashes, keeping a trailing slash, so every file has one
// URL (and "//host" never appears in a redirect).
func cleanPath(p string) string {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Location", to)
	w.WriteHeader(http.StatusFound)
}

// serveFile writes one site file. Pages get the live-reload script, stamped with their version, which is
// how a tab later tells the server which version it shows.
func serveFile(w http.ResponseWriter, r *http.Request, name string, data []byte, sum uint64, status int) {
	h := w.Header()
	h.Set("Content-Type", contentType(name, data))
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasSuffix(name, ".html") {
		data = injectScript(data, hashString(sum))
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(data)
		}
		return
	}
	h.Set("ETag", `"`+hashString(sum)+`"`)
	http.ServeContent(w, r, name, zeroTime, bytes.NewReader(data))
}

// scriptTag is the live-reload script as added to pages; %s is the page's version.
const scriptTag = `<script src="` + clientPath + `" data-page="%s"></script>`

// injectScript adds the live-reload script, stamped with the page's version, before the page's last
// </body>, or at its end when it has none (browsers move it into the body). Pages get it only here,
// when served: built files never contain it.
func injectScript(page []byte, version string) []byte {
	tag := fmt.Sprintf(scriptTag, version)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = bytes.LastIndex(page, []byte("</BODY>"))
	}
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

func (s *Server) serveReserved(w http.ResponseWriter, r *http.Request, p string) {
	switch p {
	case clientPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, "live.js", zeroTime, bytes.NewReader(liveJS))
	case EventsPath:
		s.serveEvents(w, r)
	default:
		http.NotFound(w, r)
	}
}

// noSitePage is served while no build has succeeded yet: it carries the live-reload script, so the error
// overlay shows, and the tab reloads when the site first builds.
var noSitePage = []byte("<!doctype html><html lang=en><meta charset=utf-8><title>Lectern: build failed</title>" +
	"<body style=\"font:16px system-ui,sans-serif;margin:6em 2em\"><p>The site has not built yet. " +
	"Fix the error shown above (and in the terminal) and this page reloads by itself.</p></body></html>")

func (s *Server) serveNoSite(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method != http.MethodHead {
		w.Write(injectScript(noSitePage, (*snapshot)(nil).version("/")))
	}
}
