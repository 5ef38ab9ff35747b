// Package crosslink links every mention of a catalogued service in the notes to what the notes say about
// it, and gathers the data of the service pages.
//
// It is a goldmark extension plus the pass-2 functions of the markdown stage:
//
//   - NewMatcher builds, once per build, a trie over every name, alias and abbreviation of a
//     catalog.Catalog; matching is linear in the text length whatever the catalog size.
//   - New(m) is the goldmark.Extender: an AST transformer (priority 200, after tip boxes at 100, so key
//     points are plain text by then) wraps each mention in running text in a *Mention node. It skips code
//     spans and blocks, links, autolinks, images, headings, raw HTML and URLs. It decides no links: in
//     pass 1 the other pages are not known yet.
//   - In pass 1 the markdown stage also calls Mentions (for the service pages and "Services in this
//     note", and numbering the mentions) and collects each page's headings into a PageInfo. It renders
//     each note once, right away: the renderer writes every mention as markers around its text
//     (markers.go), and the tree is let go.
//   - Between the passes FindHomes decides which page or heading is each service's home, and BuildPages
//     computes the /services/ index and one ServicePage per service.
//   - In pass 2 NewLinker(...).Page decides, from the mentions Mentions recorded, which become links
//     (first per section by default) and where they point; PageLinks.Apply turns the markers of the
//     pass-1 HTML into <a class="service-link"> for linked mentions and plain text for the rest, with
//     URLs written relative to the page the HTML goes on (the note's page, or the cheat sheet).
//     Resolve applies the same rules to a whole tree, for rendering a tree that was kept.
//
// Nothing here is global: the matcher is immutable and per-document state lives on the AST.
package crosslink
