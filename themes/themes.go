// Package themes embeds Lectern's default theme, so the binary needs no files beside it.
//
// The theme is read by generator/render: templates/*.html define named blocks, static/css/*.css and
// static/js/*.js are bundled (in file-name order) into one fingerprinted stylesheet and one script, and
// every other file under static/ is copied as it is. A site's own themes/ folder overrides any block or
// file of this one.
package themes

import "embed"

// Default is the default theme; its files live under "default/".
//
//go:embed default
var Default embed.FS
