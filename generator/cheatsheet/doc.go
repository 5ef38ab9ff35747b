// Package cheatsheet is the stage that condenses the notes into one printable page, /cheatsheet/.
//
// It runs inside pass 1 of the pipeline, on each note's syntax tree after the note's own page is
// rendered and before the tree is released, and links the result in pass 2:
//
//	pass 1, each note:              Extract(conv, doc, opts) → Note (condensed HTML, tip count)
//	pass 2, each note:              note.Linked(links, opts) → Note with its service links
//	after all pages (in note order): NewSheet(notes, layout)  → *Sheet, the page data of kind "cheatsheet"
//
// Extract walks the tree of blocks, not the rendered HTML. With Content "all" a note keeps its title,
// its headings as a compact outline, its lists (nesting kept), tip boxes and key points, tables, short
// paragraphs (labels and lead-ins of lists, up to MaxProseWords words) and code cut to MaxCodeLines
// lines with a "… N more lines" marker; longer prose, images, raw HTML blocks, rules and footnotes are
// left out. With Content "tips" it keeps only tip boxes and key points, each under the headings that
// lead to it. The pieces it keeps are rendered with the build's own converter
// (markdown.Converter.RenderNode), so tip boxes, highlighting and service links look as on the note's
// page.
//
// To render pieces of a tree for another page, Extract changes the tree for the time of the call and
// puts it back as it found it before it returns: images and excluded boxes are detached, code lines
// cut, ids prefixed so that they stay unique on the sheet, and relative links rewritten for the
// sheet's URL. A document must therefore not be rendered by another goroutine while Extract runs;
// the pipeline calls it from the goroutine that parsed and rendered the note. Service mentions come
// out as the markers pass 1 writes (package crosslink): where they link is known only once every note
// is parsed, and Note.Linked writes them relative to the sheet then.
//
// The print layout (paper, orientation, columns) is data of the Sheet: the theme's cheatsheet.html
// writes Sheet.PageStyle into the page, and 80-cheatsheet.css does the rest. Sheet.PageStyle's @page
// rule sets the paper and margins, and its margin boxes (@top-left, @bottom-right) print the site title
// and "Page N of M" on every page: Chromium (Chrome, Edge) prints them since version 131, which the
// end-to-end test checks in the PDF. A browser without margin boxes still prints the sheet's own title
// line at the top of the first page, and its own header and footer when the reader asks for them in
// the print dialog.
package cheatsheet
