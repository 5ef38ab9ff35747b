package render

import (
	"bytes"
	"io"
	"sync"

	"github.com/tdewolff/minify/v2"
)

// memo remembers what a minifier made of small inputs it has seen. Every page carries the theme's same
// inline script and icons, and the HTML minifier hands each of them to the JS or SVG minifier, which
// parse them from scratch: on a 3,335-page site that was a quarter of the minifier's time for the same
// few hundred bytes. Output is the same bytes the wrapped minifier writes.
type memo struct {
	inner minify.Minifier
	mu    sync.RWMutex
	seen  [2]map[string][]byte // by params: none, and the HTML minifier's inline ones
	size  int
}

const (
	memoMaxInput = 16 << 10 // larger inputs are note content, seldom repeated
	memoMaxTotal = 4 << 20  // bytes of inputs and outputs held, so a site of unique scripts cannot grow it
)

func newMemo(inner minify.Minifier) *memo {
	return &memo{inner: inner, seen: [2]map[string][]byte{{}, {}}}
}

// Minify implements minify.Minifier.
func (c *memo) Minify(m *minify.M, w io.Writer, r io.Reader, params map[string]string) error {
	slot := -1
	switch {
	case len(params) == 0:
		slot = 0
	case len(params) == 1 && params["inline"] == "1":
		slot = 1
	}
	var data []byte
	if br, ok := r.(interface{ Bytes() []byte }); ok {
		data = br.Bytes() // the HTML minifier's own reader: no copy
	} else {
		var err error
		if data, err = io.ReadAll(r); err != nil {
			return err
		}
	}
	if slot < 0 || len(data) > memoMaxInput {
		return c.inner.Minify(m, w, bytes.NewReader(data), params)
	}
	c.mu.RLock()
	out, ok := c.seen[slot][string(data)]
	c.mu.RUnlock()
	if ok {
		_, err := w.Write(out)
		return err
	}
	var buf bytes.Buffer
	if err := c.inner.Minify(m, &buf, bytes.NewReader(data), params); err != nil {
		return err // not remembered: the caller keeps the input, as without the memo
	}
	out = buf.Bytes()
	c.mu.Lock()
	if c.size+len(data)+len(out) <= memoMaxTotal {
		if _, dup := c.seen[slot][string(data)]; !dup {
			c.seen[slot][string(data)] = out
			c.size += len(data) + len(out)
		}
	}
	c.mu.Unlock()
	_, err := w.Write(out)
	return err
}
