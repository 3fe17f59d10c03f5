package browsertest

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Page is the tab of a browser test with the steps such tests take again and again. Each step
// ends the test with what it was doing when it fails, so that a test reads as the person's walk
// through the portal. Ctx is there for the steps a single test needs (chromedp.Run(p.Ctx, …)).
type Page struct {
	T   testing.TB
	Ctx context.Context
}

// NewPage starts a headless Chromium for t, as New does, and returns its tab.
func NewPage(t testing.TB) *Page {
	t.Helper()
	return &Page{T: t, Ctx: New(t)}
}

// Run does the actions in turn; what names them in the failure.
func (p *Page) Run(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.T.Helper()
	if err := chromedp.Do(p.Ctx, actions...); err != nil {
		p.T.Fatalf("%s: %v", what, err)
	}
}

// Click clicks the element of the CSS selector sel (a link or a submit button) and waits for the
// page it leads to.
func (p *Page) Click(sel string) {
	p.T.Helper()
	if _, err := chromedp.RunResponse(p.Ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		p.T.Fatalf("click %s: %v", sel, err)
	}
}

// Text is the text of the element of the CSS selector sel as a person reads it: each run of white
// space (line breaks of the markup included) is one space, none at either end.
func (p *Page) Text(sel string) string {
	p.T.Helper()
	s, err := chromedp.Run(p.Ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.T.Fatalf("reading %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// Value is the value of the form field of the CSS selector sel, as typed.
func (p *Page) Value(sel string) string {
	p.T.Helper()
	s, err := chromedp.Run(p.Ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		p.T.Fatalf("reading %s: %v", sel, err)
	}
	return s
}

// Path is the path of the page's address, without the query and the fragment.
func (p *Page) Path() string {
	p.T.Helper()
	loc, err := chromedp.Run(p.Ctx, chromedp.Location())
	if err != nil {
		p.T.Fatalf("reading the address: %v", err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		p.T.Fatalf("reading the address %q: %v", loc, err)
	}
	return u.Path
}
