package site

import (
	"bytes"
	"errors"
	"os"

	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/render"
)

// writeAssets copies the notes' own files and the theme's static files, and writes the bundles.
func (b *builder) writeAssets() error {
	var errs []error
	errc := make([]error, len(b.site.Assets))
	forEach(len(b.site.Assets), func(i int) {
		a := b.site.Assets[i]
		data, err := os.ReadFile(a.Src)
		if err != nil {
			errc[i] = diag.At(a.File, 0, "cannot copy: %v", err)
			return
		}
		errc[i] = b.write(a.Rel, data)
	})
	for _, e := range errc {
		if e != nil {
			errs = append(errs, e)
		}
	}
	var buf bytes.Buffer
	for _, a := range b.theme.Static {
		data := a.Data
		if mt := render.MediaType(a.Path); mt != "" {
			data = bytes.Clone(b.min.Bytes(&buf, mt, a.Data))
		}
		if err := b.write(a.Path, data); err != nil {
			errs = append(errs, err)
		}
	}
	for _, a := range []render.Asset{b.theme.CSS, b.theme.JS} {
		if err := b.write(a.Path, a.Data); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
