package site

import (
	"sync"

	"github.com/lectern/lectern/generator/markdown"
)

// perNote is a value worked out from a parsed note once and kept by the Cache while it keeps the note: a
// reused note is the very same *markdown.Document, so it gives the same value again. Safe for
// concurrent use.
type perNote[V any] struct {
	mu sync.Mutex
	m  map[*markdown.Document]V
}

// get returns the value for d, making it with make the first time.
func (p *perNote[V]) get(d *markdown.Document, make func(*markdown.Document) V) V {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.m[d]; ok {
		return v
	}
	if p.m == nil {
		p.m = map[*markdown.Document]V{}
	}
	v := make(d)
	p.m[d] = v
	return v
}

// keep drops the values of notes not in live.
func (p *perNote[V]) keep(live map[*markdown.Document]bool) {
	p.mu.Lock()
	dropDead(p.m, live)
	p.mu.Unlock()
}

// clear drops every value.
func (p *perNote[V]) clear() {
	p.mu.Lock()
	p.m = nil
	p.mu.Unlock()
}

// dropDead deletes the entries of notes not in live.
func dropDead[V any](m map[*markdown.Document]V, live map[*markdown.Document]bool) {
	for d := range m {
		if !live[d] {
			delete(m, d)
		}
	}
}
