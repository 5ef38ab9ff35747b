package render

import (
	"fmt"
	"strings"
	"testing"
)

// daNavSite is a navigation shaped like the da corpus's: seven guides, each a folder with a folder of
// documents (the largest of 1,225), 3,335 pages in all, URLs following the folders.
func daNavSite() (*NavTree, []string) {
	sizes := []int{344, 302, 298, 128, 377, 1225, 618}
	pages := []NavEntry{{Title: "Home", URL: "", Dir: ".", IsIndex: true}}
	folders := map[string]FolderInfo{}
	urls := []string{""}
	for g, n := range sizes {
		guide := fmt.Sprintf("aws-guide-%d", g)
		doc := guide + "/doc_source"
		folders[guide] = FolderInfo{Title: "NOTICE", URL: guide + "/"}
		folders[doc] = FolderInfo{Title: "Developer Guide", URL: doc + "/"}
		pages = append(pages, NavEntry{Title: "Guidelines for contributing", URL: guide + "/contributing/", Dir: guide},
			NavEntry{Title: "Developer Guide", URL: doc + "/", Dir: doc, IsIndex: true})
		urls = append(urls, guide+"/", guide+"/contributing/", doc+"/")
		for i := range n {
			url := fmt.Sprintf("%s/r_function_%04d/", doc, i)
			pages = append(pages, NavEntry{Title: fmt.Sprintf("FUNCTION_%d function & more", i), URL: url, Dir: doc})
			urls = append(urls, url)
		}
	}
	return NewNavTree(pages, folders), urls
}

// BenchmarkNavHTML writes the navigation of every page of a da-shaped site, as a build does (Data.NavHTML),
// strips made afresh in each round; old is the writer that walked the tree for each page.
func BenchmarkNavHTML(b *testing.B) {
	tree, urls := daNavSite()
	for _, bc := range []struct {
		name  string
		write func(*strings.Builder, string, string, int)
	}{{"new", tree.WriteView}, {"old", tree.oldWriteView}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			bytes := 0
			for b.Loop() {
				tree.strips = nil
				bytes = 0
				for _, url := range urls {
					var sb strings.Builder
					n := tree.written.Load()
					sb.Grow(int(n + n/8))
					bc.write(&sb, url, RootFor(url), 300)
					tree.written.Store(int64(sb.Len()))
					bytes += sb.Len()
				}
			}
			b.ReportMetric(float64(bytes), "navbytes/op")
		})
	}
}
