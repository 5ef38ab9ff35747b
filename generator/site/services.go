package site

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lectern/lectern/generator/catalog"
	"github.com/lectern/lectern/generator/crosslink"
	"github.com/lectern/lectern/generator/render"
)

// services holds the cross-link stage's state for one build.
type services struct {
	cat     *catalog.Catalog
	matcher *crosslink.Matcher
	mode    crosslink.Mode
	homes   map[string]crosslink.Home
	index   crosslink.ServicesIndex
	pages   []crosslink.ServicePage
}

// loadCatalog reads the service catalog named by the configuration, if it exists. A site without one
// simply has no service links.
func (b *builder) loadCatalog() error {
	if !*b.cfg.CrossLinks.Enabled {
		return nil
	}
	path := filepath.Join(b.opts.Root, filepath.FromSlash(b.cfg.Catalog))
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	show := filepath.ToSlash(b.cfg.Catalog)
	if err != nil {
		return fmt.Errorf("%s: cannot read the service catalog: %w", show, err)
	}
	b.catalogData = data
	mode, err := crosslink.ParseMode(b.cfg.CrossLinks.Mode)
	if err != nil {
		return err
	}
	lower := b.cfg.CrossLinks.LowercaseNames
	if c := b.opts.Cache; c != nil {
		if e := c.cachedCatalog(data, lower); e != nil {
			b.diags.Add(e.diags...)
			if e.cat != nil {
				b.svc = &services{cat: e.cat, matcher: e.matcher, mode: mode}
			}
			return nil
		}
	}
	cat, ds := catalog.Load(show, data)
	b.diags.Add(ds...)
	var matcher *crosslink.Matcher
	if cat != nil {
		if lower != nil {
			cat.LowercaseNames = *lower
		}
		matcher = crosslink.NewMatcher(cat)
		b.svc = &services{cat: cat, matcher: matcher, mode: mode}
	}
	if c := b.opts.Cache; c != nil {
		c.putCatalog(&cachedCatalog{data: data, lower: lower, cat: cat, matcher: matcher, diags: ds})
	}
	return nil
}

// linkServices decides every service's home and the data of the service pages, once every note is parsed.
func (b *builder) linkServices() error {
	if b.svc == nil {
		return nil
	}
	infos := make([]crosslink.PageInfo, len(b.docs))
	pages := make([]crosslink.PageMentions, len(b.docs))
	for i, d := range b.docs {
		info := crosslink.PageInfo{URL: d.Page.URL, Title: d.Title, FrontService: d.Page.Front.Service}
		for _, h := range d.Headings {
			info.Headings = append(info.Headings, crosslink.Heading{Level: h.Level, ID: h.ID, Text: h.Text})
		}
		infos[i] = info
		pages[i] = crosslink.PageMentions{Page: info, Mentions: d.Mentions}
	}
	b.svc.homes = crosslink.FindHomes(b.svc.cat, infos)
	if b.opts.Cache != nil {
		key, _ := json.Marshal(b.svc.homes)
		b.homesKey = b.opts.Cache.intern(string(key))
	}
	b.svc.index, b.svc.pages = crosslink.BuildPages(b.svc.cat, b.svc.homes, pages)
	return nil
}

// writeServicePages renders /services/ and one page per mentioned service.
func (b *builder) writeServicePages() error {
	if b.svc == nil || len(b.svc.pages) == 0 || !b.theme.Has("services") || !b.theme.Has("service") {
		return nil
	}
	var errs []error
	idx := &render.PageData{Kind: "services", URL: "services/", Title: "Services", Data: b.svc.index,
		Crumbs: []render.Link{{URL: "", Title: "Home"}}, Description: "Every service the notes mention."}
	if err := b.renderExtra(idx); err != nil {
		errs = append(errs, err)
	}
	errc := make([]error, len(b.svc.pages))
	forEach(len(b.svc.pages), func(i int) {
		sp := b.svc.pages[i]
		p := &render.PageData{Kind: "service", URL: sp.URL, Title: sp.Name, Description: sp.Summary, Data: sp,
			Crumbs: []render.Link{{URL: "", Title: "Home"}, {URL: "services/", Title: "Services"}}}
		errc[i] = b.renderExtra(p)
	})
	return errors.Join(append(errs, errc...)...)
}

// renderExtra renders and writes a generated page (services, search, cheat sheet).
func (b *builder) renderExtra(p *render.PageData) error {
	if b.baseURL != "" {
		p.Canonical = b.baseURL + p.URL
	}
	if err := b.renderPage(p, nil); err != nil {
		return fmt.Errorf("%s page: %w", p.Kind, err)
	}
	return nil
}
