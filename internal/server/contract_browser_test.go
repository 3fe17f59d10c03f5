package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// A contract in the browser: 佐藤 of 税務課 registers a maintenance contract with a new contractor,
// ticks 12 of the 13 clauses, and the list's 要対応 filter shows it with ⑨ (return or disposal at
// the end) missing.
func TestBrowserContractClauses(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	_, secret := e.createUser(t, "sato", isms.RoleStaff, tax.ID, true)

	p := browsertest.NewPage(t)
	e.browserSignIn(p, "sato", testPassword, secret)
	p.Run("open the register", chromedp.Navigate(e.srv.URL+"/contracts"))
	p.Click(`a[href="/contracts/new"]`)
	p.Run("describe the contract",
		chromedp.SendKeys(chromedp.ID("contractor_name"), "株式会社北日本システム"),
		chromedp.SendKeys(chromedp.ID("title"), "税務システム保守業務委託"),
		chromedp.SetValue(chromedp.ID("period_from"), "2026-04-01"),
		chromedp.SetValue(chromedp.ID("period_to"), "2027-03-31"),
		chromedp.SendKeys(chromedp.ID("scope"), "税務システムの保守・障害対応"),
		chromedp.Click(chromedp.ID("personal_data-my_number")),
		chromedp.SetValue(chromedp.ID("next_check_due"), "2027-03-01"))
	p.Click(`form.contract-form button[type="submit"]`)
	if got := p.Text(".alert-ok"); !strings.Contains(got, "契約を保存しました") {
		t.Fatalf("after saving: %q", got)
	}
	if got := p.Text("h1"); !strings.Contains(got, "K-00001") {
		t.Errorf("the contract's heading: %q", got)
	}

	var ticks []chromedp.Action[chromedp.Void]
	for n := int64(1); n <= 13; n++ {
		if n != 9 {
			ticks = append(ticks, chromedp.Click(chromedp.ID("clause_"+itoa(n))))
		}
	}
	p.Run("tick 12 clauses", ticks...)
	p.Click(`form[action$="/clauses"] button[type="submit"]`)
	if got := p.Text(`tr[data-clause="9"]`); !strings.Contains(got, "未記載") {
		t.Errorf("clause ⑨ after saving: %q", got)
	}
	if got := p.Text(`section#clauses p`); !strings.Contains(got, "12 / 13") {
		t.Errorf("the checklist's summary: %q", got)
	}

	p.Click(`.page-head a[href="/contracts"]`)
	p.Run("only what needs action", chromedp.Click(chromedp.ID("attention")))
	p.Click(`form.filters button[type="submit"]`)
	if got := p.Text(`tr[data-number="K-00001"]`); !strings.Contains(got, "契約条項の未記載：⑨") {
		t.Errorf("the 要対応 list's row: %q", got)
	}
}
