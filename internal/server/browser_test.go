package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/browsertest"
)

// A person opens the portal (its sign-in page), sees it in Japanese, presses "English" and sees the
// English title;
// the choice survives a reload, and pressing 日本語 brings Japanese back.
func TestBrowserLanguageSwitch(t *testing.T) {
	srv := newTestServer(t)
	ctx := browsertest.New(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	expect := func(wantTitle, wantH1, wantLang string) {
		t.Helper()
		title, err := chromedp.Run(ctx, chromedp.Title())
		if err != nil {
			t.Fatal(err)
		}
		h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
		if err != nil {
			t.Fatal(err)
		}
		lang, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang"))
		if err != nil {
			t.Fatal(err)
		}
		if title != wantTitle || strings.TrimSpace(h1) != wantH1 || lang != wantLang {
			t.Errorf("page: title %q, h1 %q, lang %q; want %q, %q, %q", title, h1, lang, wantTitle, wantH1, wantLang)
		}
	}
	expect("ログイン | 情報セキュリティ管理ポータル", "ログイン", "ja")

	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`button[name="lang"][value="en"]`))); err != nil {
		t.Fatal(err)
	}
	expect("Sign in | ISMS Portal", "Sign in", "en")
	pressed, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`button[value="en"]`), "aria-pressed"))
	if err != nil || pressed.Value != "true" {
		t.Errorf("English button aria-pressed = %+v, %v", pressed, err)
	}

	if _, err := chromedp.RunResponse(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	expect("Sign in | ISMS Portal", "Sign in", "en")

	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`button[name="lang"][value="ja"]`))); err != nil {
		t.Fatal(err)
	}
	expect("ログイン | 情報セキュリティ管理ポータル", "ログイン", "ja")
}

// The skip link is the first thing the keyboard reaches, and following it moves focus to the
// main content.
func TestBrowserSkipLinkByKeyboard(t *testing.T) {
	srv := newTestServer(t)
	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.activeElement.textContent"))
	if err != nil || focused != "本文へスキップ" {
		t.Fatalf("first Tab focuses %q (%v), want the skip link", focused, err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	id, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.activeElement.id"))
	if err != nil || id != "main" {
		t.Errorf("after Enter focus is on %q (%v), want main", id, err)
	}
}
