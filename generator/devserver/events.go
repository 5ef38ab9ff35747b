package devserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// event is one Server-Sent Event.
type event struct {
	name string
	data []byte // JSON
}

// client is one open tab's event stream.
type client struct {
	page    string     // the URL path the tab shows
	version string     // the version of that page the tab has (see snapshot.version)
	ch      chan event // events waiting to be written
	done    chan struct{}
	once    sync.Once
}

// clientQueue is how many events may wait for a slow tab. A tab that falls further behind is
// disconnected; its browser reconnects by itself and, since it names the version it shows, is told to
// reload if that version is stale. Dropping a stream therefore never loses a change.
const clientQueue = 16

// heartbeat is how often an idle stream gets a comment line, so connections to closed tabs are noticed
// and proxies keep the stream open.
const heartbeat = 20 * time.Second

// writeTimeout bounds one write to a tab, so a stalled connection cannot hold its goroutine forever.
const writeTimeout = 10 * time.Second

func (c *client) drop() { c.once.Do(func() { close(c.done) }) }

// send queues an event without ever blocking the build; a full queue drops the client (see clientQueue).
func (c *client) send(e event) {
	select {
	case c.ch <- e:
	default:
		c.drop()
	}
}

func newEvent(name string, v any) event {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs of strings and numbers are sent
	}
	return event{name: name, data: data}
}

// statusMsg ends every build's events: tests and the browser console learn that a build finished.
type statusMsg struct {
	Build int  `json:"build"`
	OK    bool `json:"ok"`
}

// swapMsg tells a tab that its page changed only by files renamed (swap them in place: stylesheets
// restyle the page at once) or stylesheets modified (load them again). A renamed script the page already
// ran cannot be swapped: the tab reloads instead.
type swapMsg struct {
	Swap    []rename `json:"swap,omitempty"`
	Refresh []string `json:"refresh,omitempty"`
}

// failMsg is the error overlay's content.
type failMsg struct {
	Errors []failItem `json:"errors"`
}

// failItem is one build error: where, then what.
type failItem struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
	Msg  string `json:"msg"`
}

// serveEvents holds one tab's event stream open until the tab goes away or the server shuts down.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		return
	}
	q := r.URL.Query()
	page := q.Get("page")
	if page == "" || !safePath(page) {
		http.Error(w, "the events stream needs ?page=/path/ of the open page", http.StatusBadRequest)
		return
	}
	c := &client{page: cleanPath(page), version: q.Get("hash"), ch: make(chan event, clientQueue), done: make(chan struct{})}
	if !s.register(c) {
		http.Error(w, "server is shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.unregister(c)

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(format string, args ...any) bool {
		rc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !write("retry: 1000\n\n") {
		return
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-c.done:
			return
		case <-tick.C:
			if !write(": ping\n\n") {
				return
			}
		case e := <-c.ch:
			if !write("event: %s\ndata: %s\n\n", e.name, e.data) {
				return
			}
			if s.sent != nil {
				s.sent(c.page, e.name)
			}
		}
	}
}

// register adds a tab. A tab that shows a stale version (it loaded the page just before a rebuild) is
// told to reload at once, and a failing build's overlay is shown to newcomers too. It reports false once
// the server is shutting down.
func (s *Server) register(c *client) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	cur := s.cur.Load().version(c.page)
	if c.version != "" && c.version != cur {
		c.send(event{name: "reload", data: []byte("{}")})
	}
	c.version = cur
	if s.failure.name != "" {
		c.send(s.failure)
	}
	s.clients[c] = struct{}{}
	return true
}

func (s *Server) unregister(c *client) {
	s.mu.Lock()
	delete(s.clients, c)
	s.mu.Unlock()
	c.drop()
}

// closeClients ends every stream; browsers retry until a server is back.
func (s *Server) closeClients() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for c := range s.clients {
		c.drop()
	}
}

// Clients is the number of open event streams (open tabs).
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}

// notify tells every tab what a successful build changed for it; s.mu is held. Tabs showing the same
// version of a page are told the same, worked out once.
func (s *Server) notify(old, cur *snapshot, ch changes, recovered bool) {
	status := newEvent("status", statusMsg{Build: cur.gen, OK: true})
	var refresh, swap event
	if len(ch.refresh) > 0 {
		refresh = newEvent("swap", swapMsg{Refresh: ch.refresh})
	}
	type tab struct{ page, version string }
	type news struct {
		version string
		e       event // nothing when the page is unchanged and no stylesheet is either
	}
	told := map[tab]news{}
	for c := range s.clients {
		if recovered {
			c.send(event{name: "ok", data: []byte("{}")})
		}
		n, ok := told[tab{c.page, c.version}]
		if !ok {
			n.version = cur.version(c.page)
			switch {
			case n.version == c.version:
				n.e = refresh
			case old != nil && old.version(c.page) == c.version && renamesOnly(old, cur, c.page, &ch):
				if swap.name == "" {
					swap = newEvent("swap", swapMsg{Swap: ch.renames, Refresh: ch.refresh})
				}
				n.e = swap
			default:
				n.e = event{name: "reload", data: []byte("{}")}
			}
			told[tab{c.page, c.version}] = n
		}
		if n.e.name != "" {
			c.send(n.e)
		}
		c.version = n.version
		c.send(status)
	}
}

// renamesOnly reports whether the page at p changed only by references to renamed files.
func renamesOnly(old, cur *snapshot, p string, ch *changes) bool {
	a, b := old.resolve(p), cur.resolve(p)
	if a.file == "" || a.file != b.file || a.status != b.status {
		return false
	}
	was, _, _ := old.served(a.file)
	now, _, _ := cur.served(b.file)
	return ch.onlyRenamed(was, now)
}

// broadcastFailure shows a failed build's errors in every tab; s.mu is held.
func (s *Server) broadcastFailure(gen int) {
	status := newEvent("status", statusMsg{Build: gen, OK: false})
	for c := range s.clients {
		c.send(s.failure)
		c.send(status)
	}
}
