package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// policyTown is a town with two units: 税務課 with 山田 (its 情報セキュリティ管理者) and 田中 (staff,
// signed in), and 総務課 with 佐藤; and the security office, whose account is linked to nobody.
type policyTown struct {
	tax, general        isms.Unit
	staff, manager, off *http.Client
}

func newPolicyTown(t *testing.T, e *testEnv) policyTown {
	t.Helper()
	var o policyTown
	o.tax = e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	o.general = e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	yamada := e.orgPerson(t, "山田 太郎", "0123-45-1101", o.tax.ID)
	tanaka := e.orgPerson(t, "田中 一郎", "0123-45-1102", o.tax.ID)
	e.orgPerson(t, "佐藤 花子", "0123-45-1001", o.general.ID)
	e.orgAssign(t, yamada.ID, isms.RoleCodeISM, o.tax.ID, false)
	o.staff = e.orgSignInAsPerson(t, "tanaka", tanaka)
	o.manager = e.orgSignInAsPerson(t, "yamada", yamada)
	o.off, _ = e.loginAs(t, "soumu", isms.RoleSecurityOffice, o.general.ID)
	return o
}

// publishPolicy publishes a version of the basic policy in the library (the document made on the
// first call), in force from effective, as the security office and the committee do; it returns
// the document's id.
func (e *testEnv) publishPolicy(t *testing.T, label, effective string) int64 {
	t.Helper()
	ctx := context.Background()
	docs, err := e.db.FindPolicyDocuments(ctx, system, isms.PolicyDocumentFilter{Kind: "basic_policy"})
	if err != nil {
		t.Fatal(err)
	}
	var doc isms.PolicyDocument
	if len(docs) > 0 {
		doc = docs[0]
	} else if doc, err = e.db.CreatePolicyDocument(ctx, system, isms.PolicyDocumentInput{Kind: "basic_policy",
		Title: "南部町情報セキュリティ基本方針", Visibility: isms.VisibilityPublic, ReviewMonths: 12, MustAcknowledge: true}); err != nil {
		t.Fatal(err)
	}
	v, err := e.db.CreateDraft(ctx, system, doc.ID, isms.DocumentVersionInput{Label: label, Body: "# 目的\n情報資産を守る。",
		ChangeSummary: "クラウドサービスの利用に関する規定を追加"})
	if err != nil {
		t.Fatal(err)
	}
	if v, err = e.db.SubmitVersion(ctx, system, doc.ID, v.ID, v.Version); err != nil {
		t.Fatal(err)
	}
	if v, err = e.db.ApproveVersion(ctx, system, doc.ID, v.ID, isms.PolicyApproval{Version: v.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err = e.db.PublishVersion(ctx, system, doc.ID, v.ID, isms.PolicyPublication{EffectiveOn: personDate(t, effective), Version: v.Version}); err != nil {
		t.Fatal(err)
	}
	return doc.ID
}

// policyNotice is the home page's notice of the basic policy, "" when there is none.
func policyNotice(t *testing.T, e *testEnv, c *http.Client) string {
	t.Helper()
	_, body := get(t, c, e.srv.URL+"/")
	if !strings.Contains(body, `data-testid="policy-notice"`) {
		return ""
	}
	return between(body, `data-testid="policy-notice"`, "</div>")
}

// A version published in the library asks for confirmation; a member of staff is told on the
// home page, reads the version, must tick the box, confirms, and the notice goes. A revision
// published later asks again: the old page's confirmation is refused (409) with the new version
// to read.
func TestPolicyAcknowledgementFlow(t *testing.T) {
	e := newEnv(t)
	o := newPolicyTown(t, e)

	if policyNotice(t, e, o.staff) != "" {
		t.Error("a notice with no version in force")
	}
	if _, body := get(t, o.staff, e.srv.URL+"/policy"); !strings.Contains(body, "まだ登録されていません") {
		t.Error("the policy page with no version does not say so")
	}

	// Versions come from the library: the old registration form is gone.
	if res, _ := get(t, o.off, e.srv.URL+"/policy/versions/new"); res.StatusCode != http.StatusNotFound {
		t.Errorf("the office opening the old form: %d", res.StatusCode)
	}
	docID := e.publishPolicy(t, "令和8年4月1日改定", "2026-04-01")
	_, body := get(t, o.off, e.srv.URL+"/policy")
	personWant(t, "the office's policy page", body, "職員等に連携されていないため")
	if strings.Contains(body, `data-testid="policy-form"`) {
		t.Error("an account linked to nobody is offered the confirmation")
	}

	// The member of staff is told, not alarmed, and reads the version.
	notice := policyNotice(t, e, o.staff)
	personWant(t, "home notice", notice, `role="status"`, "まだ確認していません", `href="/policy"`)
	_, body = get(t, o.staff, e.srv.URL+"/policy")
	page := visible(between(body, "<main", "</main>"))
	personWant(t, "policy page", page, "南部町情報セキュリティ基本方針", "令和8年4月1日改定", "2026年4月1日", "クラウドサービスの利用に関する規定を追加",
		"情報セキュリティ基本方針を読み、遵守することを確認しました")
	personWant(t, "policy page", body, `href="/policies/`+itoa(docID)+`"`)
	versionID := between(body, `name="version_id" value="`, `"`)
	if res, _ := post(t, o.off, e.srv.URL+"/policy/acknowledge", url.Values{"version_id": {versionID}, "confirm": {"1"}}, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("an account linked to nobody confirming: %d", res.StatusCode)
	}

	res, body := post(t, o.staff, e.srv.URL+"/policy/acknowledge", url.Values{"version_id": {versionID}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || personFieldError(body, "confirm") != "内容を読んだうえで、チェックボックスにチェックを入れてください。" {
		t.Errorf("confirming without the tick: %d %q", res.StatusCode, personFieldError(body, "confirm"))
	}
	res, _ = post(t, o.staff, e.srv.URL+"/policy/acknowledge", url.Values{"version_id": {versionID}, "confirm": {"1"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/policy" {
		t.Fatalf("confirming: %d", res.StatusCode)
	}
	_, body = get(t, o.staff, e.srv.URL+"/policy")
	personWant(t, "after confirming", visible(body), "情報セキュリティ基本方針の確認を記録しました。", "にこの版を確認しました。")
	if strings.Contains(body, `data-testid="policy-form"`) {
		t.Error("the form is still offered after confirming")
	}
	if policyNotice(t, e, o.staff) != "" {
		t.Error("the home notice stays after confirming")
	}

	// A revision in force since 1 November asks again; the page loaded before it cannot confirm.
	e.publishPolicy(t, "令和8年11月1日改定", "2026-11-01")
	if policyNotice(t, e, o.staff) == "" {
		t.Error("no notice after the revision")
	}
	res, body = post(t, o.staff, e.srv.URL+"/policy/acknowledge", url.Values{"version_id": {versionID}, "confirm": {"1"}}, nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "新しい版に改定されています") || !strings.Contains(body, "令和8年11月1日改定") {
		t.Errorf("confirming the replaced version: %d", res.StatusCode)
	}
	if newID := between(body, `name="version_id" value="`, `"`); newID == versionID || newID == "" {
		t.Errorf("the 409 page offers version %q, the replaced one was %q", newID, versionID)
	}
	personWant(t, "other versions", between(body, `id="policy-versions-h"`, "</table>"), "令和8年4月1日改定")
}

// The status: the office sees every unit with in service / confirmed / rate and the names still
// to confirm; the 管理者 of 税務課 sees 税務課 only; staff are refused.
func TestPolicyStatusPage(t *testing.T) {
	e := newEnv(t)
	o := newPolicyTown(t, e)
	if _, body := get(t, o.off, e.srv.URL+"/policy/status"); !strings.Contains(body, "まだ登録されていません") {
		t.Error("the status with no version does not say so")
	}
	if res, _ := get(t, o.staff, e.srv.URL+"/policy/status"); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff with no version: %d", res.StatusCode)
	}
	e.publishPolicy(t, "令和8年4月1日改定", "2026-04-01")
	_, body := get(t, o.staff, e.srv.URL+"/policy")
	post(t, o.staff, e.srv.URL+"/policy/acknowledge", url.Values{"version_id": {between(body, `name="version_id" value="`, `"`)}, "confirm": {"1"}}, nil)

	res, body := get(t, o.off, e.srv.URL+"/policy/status")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("office: %d", res.StatusCode)
	}
	personWant(t, "office's totals", visible(between(body, `data-testid="policy-total">`, "</p>")), "在職者 3 人のうち 1 人が確認済み (確認率 33.3%)")
	table := visible(between(body, `data-testid="policy-status"`, "</table>"))
	personWant(t, "office's table", table, "100 総務課 1 0 1 0.0%", "110 税務課 2 1 1 50.0%")
	personWant(t, "office's pending", visible(between(body, "未確認の職員等</h2>", "</main>")), "税務課 (1 人) 山田 太郎", "総務課 (1 人) 佐藤 花子")
	if strings.Contains(between(body, "未確認の職員等</h2>", "</main>"), "田中") {
		t.Error("田中, who confirmed, is listed as pending")
	}

	res, body = get(t, o.manager, e.srv.URL+"/policy/status")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("管理者: %d", res.StatusCode)
	}
	table = visible(between(body, `data-testid="policy-status"`, "</table>"))
	if !strings.Contains(table, "110 税務課 2 1 1 50.0%") || strings.Contains(between(body, "<main", "</main>"), "総務課") {
		t.Errorf("管理者 of 税務課 sees %q", table)
	}
	if res, _ := get(t, o.staff, e.srv.URL+"/policy/status"); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff: %d", res.StatusCode)
	}
	if res, _ := get(t, o.off, e.srv.URL+"/policy/status?version=999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("no such version: %d", res.StatusCode)
	}
}

// A member of staff sees the notice on the home page, opens the policy, ticks the box, confirms,
// and the notice is gone.
func TestBrowserPolicyAcknowledgement(t *testing.T) {
	e := newEnv(t)
	unit := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	p := e.orgPerson(t, "田中 一郎", "0123-45-1102", unit.ID)
	u, secret := e.createUser(t, "tanaka", isms.RoleStaff, unit.ID, true)
	if err := e.db.LinkPersonUser(t.Context(), system, p.ID, u.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	e.publishPolicy(t, "令和8年4月1日改定", "2026-04-01")

	page := browsertest.NewPage(t)
	e.browserSignIn(page, "tanaka", testPassword, secret)
	page.Run("open the home page", chromedp.Navigate(e.srv.URL+"/"))
	if got := page.Text(`[data-testid="policy-notice"]`); !strings.Contains(got, "まだ確認していません") {
		t.Fatalf("home notice: %q", got)
	}
	page.Click(`[data-testid="policy-notice"] a[href="/policy"]`)
	if got := page.Text("main h1"); got != "情報セキュリティ基本方針の確認" {
		t.Errorf("policy page heading: %q", got)
	}
	page.Run("tick the box", chromedp.Click(chromedp.CSS(`label[for="confirm"]`)))
	page.Click(`form[action="/policy/acknowledge"] button[type="submit"]`)
	if got := page.Text(`[data-testid="policy-acknowledged"]`); !strings.Contains(got, "確認しました") {
		t.Errorf("after confirming: %q", got)
	}
	page.Run("back home", chromedp.Navigate(e.srv.URL+"/"))
	gone, err := chromedp.Run(page.Ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="policy-notice"]') === null`))
	if err != nil || !gone {
		t.Errorf("the home notice is still there (%v)", err)
	}
}
