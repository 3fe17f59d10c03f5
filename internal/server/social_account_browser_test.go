package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// A social media account in the browser: 佐藤 of 税務課 goes from his unit's page to the register,
// registers the tax office's LINE account with himself as its service owner, and is told beside
// the status that it cannot go public while the official website does not list it.
func TestBrowserSocialAccount(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	sato := e.orgPerson(t, "佐藤 一郎", "0123-45-1101", tax.ID)
	u, secret := e.createUser(t, "sato", isms.RoleStaff, tax.ID, true)
	if err := e.db.LinkPersonUser(t.Context(), system, sato.ID, u.ID, sato.Version); err != nil {
		t.Fatal(err)
	}

	p := browsertest.NewPage(t)
	e.browserSignIn(p, "sato", testPassword, secret)
	p.Click(`nav a[href="/units/` + itoa(tax.ID) + `"]`)
	p.Click(`a[href="/social-accounts?unit=` + itoa(tax.ID) + `"]`)
	p.Click(`a[href="/social-accounts/new"]`)
	p.Run("describe the LINE account",
		chromedp.SetValue(chromedp.ID("platform"), "line"),
		chromedp.SendKeys(chromedp.ID("account_name"), "南部町 税務課"),
		chromedp.SetValue(chromedp.ID("owner_id"), itoa(sato.ID)),
		chromedp.Click(chromedp.ID("mfa_enabled")),
		chromedp.SendKeys(chromedp.ID("mfa_method"), "認証アプリ"),
		chromedp.SendKeys(chromedp.ID("posting_rules"), "納期のお知らせのみ。機密性2以上の情報は投稿しない。"))
	p.Click(`form[action="/social-accounts"] button[type="submit"]`)
	if got := p.Text(".alert-ok"); !strings.Contains(got, "保存しました") {
		t.Fatalf("after registering: %q", got)
	}
	if got := p.Text(`[data-testid="owner"]`); got != "佐藤 一郎" {
		t.Errorf("owner shown: %q", got)
	}
	p.Run("choose 公開", chromedp.SetValue(chromedp.ID("status"), "public"))
	p.Click(`#status-form button[type="submit"]`)
	if got := p.Text("#status-error"); !strings.Contains(got, "公式サイト掲載URLが未記録のため公開できません") {
		t.Errorf("refusal beside the status: %q", got)
	}
}
