package server_test

import (
	"context"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// The CISO opens the dashboard, sees where to act first, follows the heat map's worst cell to
// the list behind it, opens the dashboard again and prints it: on A4 landscape, without the menus,
// the heat map's states still in words; then prints 税務課's department page.
func TestBrowserDashboard(t *testing.T) {
	e := newEnv(t)
	w := newDashTown(t, e)
	_, secret := e.createUser(t, "ciso", isms.RoleCISO, 0, true)
	p := browsertest.NewPage(t)
	e.browserSignIn(p, "ciso", testPassword, secret)
	p.Click(`nav a[href="/dashboard"]`)
	if h1 := p.Text("h1"); !strings.Contains(h1, "情報セキュリティの状況") {
		t.Fatalf("the dashboard's heading %q", h1)
	}

	// The worst cell: 税務課, whose reviews are overdue, first of where to act.
	first := p.Text(".dash-attention li:first-child")
	if first != "税務課: 見直し期限切れ (1件)" {
		t.Fatalf("where to act first begins with %q", first)
	}
	href, err := chromedp.Run(p.Ctx, chromedp.Evaluate[string](`document.querySelector('.dash-attention li a').getAttribute('href')`))
	if err != nil {
		t.Fatal(err)
	}
	cell := `#dash-heat a[href="` + href + `"]`
	if state := p.Text(cell + " .heat-state"); state != "要対応" {
		t.Fatalf("the heat map's cell %s says %q", href, state)
	}
	p.Click(cell)
	if path := p.Path(); path != "/assets" {
		t.Fatalf("the cell led to %s", path)
	}
	if list := p.Text("main"); !strings.Contains(list, "軽自動車税の申告書") || strings.Contains(list, "固定資産税課税台帳") {
		t.Errorf("the list behind the cell: %s", list)
	}
	p.Run("open the dashboard again", chromedp.Navigate(e.srv.URL+"/dashboard"))

	// Printed: the menus and the year's form are gone, the heat map keeps its words.
	hidden, err := chromedp.Run(p.Ctx, func(ctx context.Context, tg *chromedp.Target) (string, error) {
		if _, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return "", err
		}
		return chromedp.Evaluate[string](`[getComputedStyle(document.querySelector('.main-nav')).display,
			getComputedStyle(document.querySelector('form.filters')).display,
			getComputedStyle(document.querySelector('#dash-heat .heat-state')).display].join(' ')`)(ctx, tg)
	})
	if err != nil {
		t.Fatal(err)
	}
	if hidden != "none none block" {
		t.Errorf("printed, the menu, the form and a cell's state are displayed %q, want none none block", hidden)
	}
	printsOnA4Landscape(t, p, "the dashboard", 3)

	// The department page of 税務課 prints the same way, its measures with it.
	p.Run("open 税務課's page", chromedp.Navigate(e.srv.URL+"/units/"+itoa(w.tax.ID)))
	if got := p.Text("#unit-heat tbody"); !strings.Contains(got, "税務課") || !strings.Contains(got, "要対応") {
		t.Errorf("税務課's measures: %s", got)
	}
	printsOnA4Landscape(t, p, "税務課's page", 4)
}

// printsOnA4Landscape prints the page as Chromium does for its print dialog and checks that
// every page is A4 landscape (297 × 210 mm, 841.9 × 595.3 points), on no more than most pages.
func printsOnA4Landscape(t *testing.T, p *browsertest.Page, what string, most int) {
	t.Helper()
	pdf, err := chromedp.Run(p.Ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
	}
	boxes := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`).FindAllStringSubmatch(string(pdf), -1)
	if !strings.HasPrefix(string(pdf), "%PDF") || len(boxes) == 0 || len(boxes) > most {
		t.Fatalf("%s printed on %d pages, want 1 to %d", what, len(boxes), most)
	}
	for _, b := range boxes {
		w, _ := strconv.ParseFloat(b[1], 64)
		h, _ := strconv.ParseFloat(b[2], 64)
		if math.Abs(w-841.9) > 1 || math.Abs(h-595.3) > 1 {
			t.Errorf("%s: a page of %s × %s points, want A4 landscape", what, b[1], b[2])
		}
	}
}
