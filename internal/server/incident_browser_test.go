package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// An incident from report to closing, in the browser: 佐藤 of 税務課 reports an e-mail sent to the
// wrong address with 150 residents' data; 中村, a CSIRT member, judges it severity 3 with more
// than 100 data subjects; the CISO finds it on their notification list with the 速報's due day;
// 中村 records the cause, the preventive measure and the two PPC reports and closes it.
func TestBrowserIncidentWalk(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	general := e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	sato := e.orgPerson(t, "佐藤 一郎", "0123-45-1101", tax.ID)
	nakamura := e.orgPerson(t, "中村 四郎", "0123-45-1001", general.ID)
	e.orgAssign(t, nakamura.ID, isms.RoleCodeCSIRTMember, 0, false)
	account := func(login string, role isms.Role, unitID int64, p *isms.Person) string {
		u, secret := e.createUser(t, login, role, unitID, true)
		if p != nil {
			if err := e.db.LinkPersonUser(ctx, system, p.ID, u.ID, p.Version); err != nil {
				t.Fatal(err)
			}
		}
		return secret
	}
	satoSecret := account("sato", isms.RoleStaff, tax.ID, &sato)
	nakamuraSecret := account("nakamura", isms.RoleStaff, general.ID, &nakamura)
	cisoSecret := account("fukucho", isms.RoleCISO, 0, nil)

	p := browsertest.NewPage(t)
	signedIn := false
	signInAs := func(login, secret string) {
		if signedIn {
			p.Click(`form[action="/logout"] button`)
		}
		signedIn = true
		e.clock.Advance(time.Minute) // a fresh second-factor code
		e.browserSignIn(p, login, testPassword, secret)
	}

	// 佐藤 reports from the menu.
	signInAs("sato", satoSecret)
	p.Click(`nav a[href="/incidents"]`)
	p.Click(`a[href="/incidents/new"]`)
	p.Run("describe the mis-sent e-mail",
		chromedp.SendKeys(chromedp.ID("title"), "住民150人分の一覧をメールで誤送信"),
		chromedp.SendKeys(chromedp.ID("description"), "固定資産税の納税者一覧（150人分）を添付したメールを、委託先ではなく別の事業者に送信した。"),
		chromedp.SetValue(chromedp.ID("aware_at"), "2026-11-25T09:30"),
		chromedp.SendKeys(chromedp.ID("place"), "税務課"),
		chromedp.Click(chromedp.ID("personal_info-yes")),
		chromedp.SendKeys(chromedp.ID("first_action"), "送信先に電話で削除を依頼した。"))
	p.Click(`form[action="/incidents"] button[type="submit"]`)
	if got := p.Text(".alert-ok"); !strings.Contains(got, "2026-0001") {
		t.Fatalf("after reporting, the reference number is not shown: %q", got)
	}
	incidentPath := p.Path()

	// 中村 finds it in the 窓口's queue and judges it.
	signInAs("nakamura", nakamuraSecret)
	p.Run("open the queue", chromedp.Navigate(e.srv.URL+"/incidents?status=received"))
	p.Click(`main table a[href="` + incidentPath + `"]`)
	p.Click(`a[href$="/triage"]`)
	p.Run("triage: an incident, severity 3, a mis-sent e-mail with 150 subjects",
		chromedp.Click(chromedp.ID("is_incident-yes")),
		chromedp.Click(chromedp.ID("severity-3")),
		chromedp.SetValue(chromedp.ID("category"), "MISDELIVERY"),
		chromedp.SendKeys(chromedp.ID("pi_items"), "氏名、住所、固定資産税額"),
		chromedp.SetValue(chromedp.ID("pi_subjects"), "150"))
	p.Click(`form[action$="/triage"] button[type="submit"]`)
	ppc := p.Text(`section[aria-labelledby="ppc-h"]`)
	for _, want := range []string{"本人の数が100人を超える", "2026年11月30日", "2026年12月25日"} {
		if !strings.Contains(ppc, want) {
			t.Errorf("the PPC section after the triage lacks %q: %q", want, ppc)
		}
	}

	// The CISO's notification list shows it with the 速報's due day.
	signInAs("fukucho", cisoSecret)
	p.Click(`a[href="/notifications"]`)
	row := p.Text(`tr[data-incident="2026-0001"]`)
	for _, want := range []string{"住民150人分の一覧をメールで誤送信", "2026年11月30日"} {
		if !strings.Contains(row, want) {
			t.Errorf("the CISO's notification lacks %q: %q", want, row)
		}
	}

	// 中村 records the cause, the preventive measure (done) and both reports, then closes it.
	signInAs("nakamura", nakamuraSecret)
	p.Run("open the incident", chromedp.Navigate(e.srv.URL+incidentPath))
	p.Click(`a[href$="/triage"]`)
	p.Run("the root cause", chromedp.SendKeys(chromedp.ID("root_cause"), "宛先をアドレス帳から選ぶ際の選択誤り。送信前の確認がなかった。"))
	p.Click(`form[action$="/triage"] button[type="submit"]`)
	p.Run("a preventive measure",
		chromedp.SetValue(chromedp.ID("action_kind"), "prevention"),
		chromedp.SendKeys(chromedp.ID("action_description"), "個人情報を含むメールは送信前に二人で宛先を確認する。"),
		chromedp.SetValue(chromedp.ID("action_due_on"), "2026-11-30"))
	p.Click(`form#action button[type="submit"]`)
	p.Run("done the same day", chromedp.SetValue(chromedp.CSS(`form[action*="/actions/"] input[name="done_on"]`), "2026-11-25"))
	p.Click(`form[action*="/actions/"] button[type="submit"]`)
	for range 2 { // the 速報, then the 確報
		p.Run("a PPC report made", chromedp.SetValue(chromedp.CSS(`form[action*="/reports/"] input[name="done_on"]`), "2026-11-25"))
		p.Click(`form[action*="/reports/"] button[type="submit"]`)
	}
	p.Click(`#move button[value="prevention"]`)
	p.Click(`#move button[value="closed"]`)
	if got := p.Text(`.incident-state`); !strings.Contains(got, "完了") {
		t.Errorf("after closing, the status reads %q", got)
	}
	if got := p.Text(`section[aria-labelledby="actions-h"]`); !strings.Contains(got, "二人で宛先を確認する") {
		t.Errorf("the closed incident lacks its preventive measure: %q", got)
	}
}
