package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserStarts(t *testing.T) {
	ctx := New(t, 30*time.Second)
	title, err := chromedp.Run(ctx, chromedp.Steps(chromedp.Navigate("data:text/html,<title>ok</title>")))
	_ = title
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil || got != "ok" {
		t.Fatalf("title = %q, %v", got, err)
	}
}
