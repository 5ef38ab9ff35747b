// Package search is the search stage: it turns the heading sections of every page into a static,
// compact index that the theme's search.js queries in the browser, so search needs no server, works
// from file:// and under any sub-path.
//
// Input: one Doc per heading section (plus a preamble per page), in site order. Output: index files
// (JavaScript, each a single LecternSearch.load(kind, key, data) call, so plain <script> tags load them)
// with fingerprinted names, and the entry script paths a page names in <meta name="lectern-search">.
//
// The index holds no stemmed forms and no positions: terms are the tokens of Tokenize (identical to the
// JavaScript tokenizer), sorted in UTF-16 order and front-coded; postings are delta-coded section numbers
// with a body term frequency and heading/emphasis flags, written as base64 VLQ. The query side (prefixes,
// suffix variants, one-edit typos, acronyms, synonyms, BM25F ranking, soft AND, parent headings) lives in
// themes/default/static/js/search.js. Small sites get one index file; large sites get a head file plus
// dictionary shards, postings chunks and excerpt text chunks that a query loads on demand. The format is
// described in docs/search.md.
package search
