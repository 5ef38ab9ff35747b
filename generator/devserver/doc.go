// Package devserver is `lectern serve`: it builds the site into memory, serves it over HTTP, watches the
// site's sources and tells every open browser tab what a rebuild changed for it.
//
// The parts, in the order a save travels through them:
//
//   - Watcher (watch.go) follows content/, themes/ and lectern.yaml with fsnotify, recursively, adding
//     folders created later and dropping removed or renamed ones, and hands over batches of changed paths
//     once the file system has been quiet for a moment (editors save in bursts: temp file, rename, delete).
//   - Builder (builder.go) turns a batch into a complete in-memory site. FullBuilder runs the whole
//     pipeline (site.Build with a site.Cache, so only what the batch affects is made again); another
//     builder can replace it without any other change here, as long as its output is byte-identical to
//     a full build. FullBuilder's sink notes which files a build wrote anew (the cache hands the very
//     same bytes for the others) and hands that over with the files.
//   - snapshot (snapshot.go) is one immutable built site with a hash per file. Comparing two snapshots
//     says which pages changed, and whether a page changed only by naming a renamed fingerprinted file
//     (a new stylesheet bundle, a new search index), which a tab can swap in place. Told what the build
//     wrote anew, the snapshot, the comparison and the retired files look at those files only, so a save
//     costs the server the same on a site of ten pages or of thousands.
//   - hub (events.go) holds one Server-Sent Events stream per open tab. Each tab names its page and the
//     hash of the version it shows, so after a rebuild each tab is told only what concerns it: reload,
//     swap a stylesheet or other renamed file, show or hide the build-error overlay.
//   - the handler (handler.go) serves the current snapshot: GET and HEAD only, cleaned paths, the site's
//     404.html for anything missing, the site under its base URL's path, and live.js, the browser side.
//
// A failed build never stops the server: its diagnostics go to the terminal and to an overlay in every
// tab, and the last good snapshot keeps being served until a build succeeds again.
package devserver
