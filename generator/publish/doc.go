// Package publish is the last stage of a build: it makes the output ready for GitHub Pages and checks it.
//
// Input: every file the build wrote, seen as it is written (Checker.Add), and the site's base URL.
// Output: the files a host needs beside the pages (Files: .nojekyll, sitemap.xml, robots.txt, CNAME) and
// diagnostics for every internal link or anchor in the output that leads nowhere (Checker.Check).
//
// The link check reads the output, not the markdown, so it covers what no earlier stage can see: links in
// the theme (navigation, breadcrumbs, previous/next, the search form), service links added by the
// cross-link stage, raw HTML in notes, and URLs other stages hand over with Require (search results).
// It never fetches external links. It is linear in the size of the output: each HTML file is scanned once,
// in parallel as it is written, by a scanner that reads only start tags and their attributes (as the
// tdewolff/parse lexer, which the minifier uses, would read them), and the check itself is path cleaning
// in scratch buffers and map lookups. The dev server passes a CheckCache from build to build, so that a rebuild resolves again only
// the references whose answer an edit could change.
//
// A broken link is reported where the author can fix it: the note's file and line when the link is in the
// note's markdown (found through the markdown stage's links, else by the link's text in the note), and
// otherwise once per target for the theme, naming how many pages carry it. Problems an earlier stage has
// already reported (the markdown stage reports links to missing notes and headings) are not repeated.
// A full build lets go of the notes' markdown after parsing, and the site reads a note again for a page
// with a broken link; when that fails (the file went or changed meanwhile) the Source says so (Unread),
// and what the parsed links do not account for is reported at the note's first line.
package publish
