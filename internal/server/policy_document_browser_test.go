package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// The yearly review of the 対策基準, in the browser: the security office schedules it with 山田 as
// reviewer; 山田 finds it through the library, decides to revise it, edits the draft and submits
// it; the CISO approves the new version for the committee at its meeting; the office publishes it;
// and 田中, who had confirmed the version in force, is asked on the home page to confirm again.
func TestBrowserPolicyReviewCycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	general := e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	yamada := e.orgPerson(t, "山田 花子", "0123-45-1001", general.ID)
	tanaka := e.orgPerson(t, "田中 一郎", "0123-45-1101", tax.ID)
	fukucho := e.orgPerson(t, "副町長 次郎", "0123-45-1000", general.ID)
	e.orgAssign(t, fukucho.ID, isms.RoleCodeCISO, 0, false)
	e.orgAssign(t, fukucho.ID, isms.RoleCodeCommittee, 0, false)
	account := func(login string, role isms.Role, unitID int64, p *isms.Person) (int64, string) {
		u, secret := e.createUser(t, login, role, unitID, true)
		if p != nil {
			if err := e.db.LinkPersonUser(ctx, system, p.ID, u.ID, p.Version); err != nil {
				t.Fatal(err)
			}
		}
		return u.ID, secret
	}
	_, officeSecret := account("soumu", isms.RoleSecurityOffice, general.ID, nil)
	yamadaID, yamadaSecret := account("yamada", isms.RoleStaff, general.ID, &yamada)
	_, tanakaSecret := account("tanaka", isms.RoleStaff, tax.ID, &tanaka)
	_, cisoSecret := account("fukucho", isms.RoleStaff, general.ID, &fukucho)

	// The 対策基準 in force since April, which 田中 confirmed.
	doc, err := e.db.CreatePolicyDocument(ctx, system, isms.PolicyDocumentInput{Kind: "standards", Title: "南部町情報セキュリティ対策基準",
		Visibility: isms.VisibilityInternal, OwnerUnitID: general.ID, ReviewMonths: 12, MustAcknowledge: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.db.CreateDraft(ctx, system, doc.ID, isms.DocumentVersionInput{Label: "令和8年4月1日施行",
		Body: "# 第1章 総則\n## 第1条 目的\n本基準は、本町の情報資産を守るための対策を定める。\n## 第2条 外部記録媒体\n外部記録媒体は施錠して保管する。"})
	if err != nil {
		t.Fatal(err)
	}
	if v, err = e.db.SubmitVersion(ctx, system, doc.ID, v.ID, v.Version); err != nil {
		t.Fatal(err)
	}
	if v, err = e.db.ApproveVersion(ctx, system, doc.ID, v.ID, isms.PolicyApproval{Version: v.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err = e.db.PublishVersion(ctx, system, doc.ID, v.ID, isms.PolicyPublication{EffectiveOn: personDate(t, "2026-04-01"), Version: v.Version}); err != nil {
		t.Fatal(err)
	}
	staff := e.signIn(t, "tanaka", testPassword, tanakaSecret)
	_, body := get(t, staff, e.srv.URL+"/policy")
	post(t, staff, e.srv.URL+"/policy/acknowledge", url.Values{"version_id": {between(body, `name="version_id" value="`, `"`)}, "confirm": {"1"}}, nil)
	if policyNotice(t, e, staff) != "" {
		t.Fatal("田中 is asked to confirm the version they confirmed")
	}

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
	docPath := "/policies/" + itoa(doc.ID)

	// The security office schedules the yearly review with 山田.
	signInAs("soumu", officeSecret)
	p.Click(`nav a[href="/policies"]`)
	p.Click(`main table a[href="` + docPath + `"]`)
	p.Click(`a[href="` + docPath + `/reviews/new"]`)
	p.Run("the yearly review, 山田, due at the end of the year",
		chromedp.SetValue(chromedp.ID("reviewer"), itoa(yamadaID)),
		chromedp.SetValue(chromedp.ID("due_on"), "2027-03-31"),
		chromedp.Click(chromedp.ID("reason-scheduled")))
	p.Click(`form[action="` + docPath + `/reviews"] button[type="submit"]`)
	if got := p.Text(`[data-testid="library-reviews"] tbody`); !strings.Contains(got, "定期見直し") || !strings.Contains(got, "試験 yamada") || !strings.Contains(got, "未実施") {
		t.Fatalf("the scheduled review: %q", got)
	}

	// 山田 finds it in the library, decides to revise, edits the draft and submits it.
	signInAs("yamada", yamadaSecret)
	p.Click(`nav a[href="/policies"]`)
	p.Click(`main table a[href="` + docPath + `"]`)
	p.Click(`[data-testid="library-reviews"] tbody a`)
	p.Run("revise", chromedp.Click(chromedp.ID("outcome-revise")), chromedp.SendKeys(chromedp.ID("label"), "令和8年11月25日改定"))
	p.Click(`form[action$="/outcome"] button[type="submit"]`)
	if got := p.Value("#body"); !strings.Contains(got, "外部記録媒体は施錠して保管する。") {
		t.Fatalf("the draft does not start from the version in force: %q", got)
	}
	p.Run("the revised text",
		chromedp.SetValue(chromedp.ID("body"), "# 第1章 総則\n## 第1条 目的\n本基準は、本町の情報資産を守るための対策を定める。\n"+
			"## 第2条 外部記録媒体\n外部記録媒体は施錠して保管し、持ち出しは管理者の許可を得る。"),
		chromedp.SendKeys(chromedp.ID("change_summary"), "外部記録媒体の持ち出しに許可を要することとした。"))
	p.Click(`form.policy-draft-form button[type="submit"]`)
	versionPath := p.Path()
	p.Click(`form[action$="/submit"] button[type="submit"]`)
	if got := p.Text(`[data-testid="version-status"]`); got != "承認待ち" {
		t.Fatalf("after submitting, the status reads %q", got)
	}

	// The CISO approves it for the committee, at its meeting.
	signInAs("fukucho", cisoSecret)
	p.Click(`nav a[href="/policies"]`)
	p.Click(`main table a[href="` + docPath + `"]`)
	p.Click(`[data-testid="library-versions"] a[href="` + versionPath + `"]`)
	p.Run("for the committee of 20 November",
		chromedp.Click(chromedp.ID("by-committee")), chromedp.SetValue(chromedp.ID("meeting_on"), "2026-11-20"))
	p.Click(`form[action$="/approve"] button[type="submit"]`)
	if got := p.Text(`[data-testid="version-status"]`); got != "承認済み" {
		t.Fatalf("after approving, the status reads %q", got)
	}

	// The security office publishes it, in force from today (the day the form proposes).
	signInAs("soumu", officeSecret)
	p.Run("open the version", chromedp.Navigate(e.srv.URL+versionPath))
	if got := p.Value("#effective_on"); got != "2026-11-25" {
		t.Errorf("the effective date proposed: %q", got)
	}
	p.Click(`form[action$="/publish"] button[type="submit"]`)
	if got := p.Text(`[data-testid="library-versions"] tbody`); !strings.Contains(got, "令和8年11月25日改定 施行中") || !strings.Contains(got, "令和8年4月1日施行 廃止") {
		t.Errorf("after publishing, the versions read %q", got)
	}
	if got := p.Text(`[data-testid="library-reviews"] tbody`); !strings.Contains(got, "完了: 改定する") {
		t.Errorf("the review after publishing: %q", got)
	}

	// 田中 is asked again.
	signInAs("tanaka", tanakaSecret)
	if got := p.Text(`[data-testid="policy-notice"]`); !strings.Contains(got, "まだ確認していません") {
		t.Fatalf("the home notice: %q", got)
	}
	p.Click(`[data-testid="policy-notice"] a[href="/policy"]`)
	if got := p.Text(`section[aria-labelledby="policy-current-h"]`); !strings.Contains(got, "南部町情報セキュリティ対策基準") ||
		!strings.Contains(got, "令和8年11月25日改定") || !strings.Contains(got, "外部記録媒体の持ち出しに許可を要することとした。") {
		t.Errorf("the version to confirm: %q", got)
	}
}
