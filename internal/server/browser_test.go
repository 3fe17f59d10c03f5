package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
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

// The first administrator signs in with the one-time password, enrols MFA (the test plays the
// authenticator app), sets a password, adds a staff member, signs out; the staff member signs in
// with their own one-time password and sets theirs.
func TestBrowserFirstAdministratorAddsStaff(t *testing.T) {
	e := newEnv(t)
	unit := e.createUnit(t, "110", "税務課")
	oneTime := auth.GeneratePassword()
	hash, _ := auth.HashPassword(oneTime, auth.DefaultParams)
	if _, err := e.db.CreateUser(context.Background(), system, isms.UserInput{
		LoginID: "admin", Name: "システム管理者", Lang: "ja", DateStyle: "seireki", Role: isms.RoleSystemAdmin,
	}, hash); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	submit := func(sel string) {
		t.Helper()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("submit %s: %v", sel, err)
		}
	}
	fill := func(fields map[string]string) {
		t.Helper()
		for id, v := range fields {
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID(id), v)); err != nil {
				t.Fatalf("typing into #%s: %v", id, err)
			}
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	path := func() string {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		u, _ := url.Parse(loc)
		return u.Path
	}
	signIn := func(login, password string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/login")); err != nil {
			t.Fatal(err)
		}
		fill(map[string]string{"login_id": login, "password": password})
		submit(`form[action="/login"] button[type="submit"]`)
	}
	newPassword := func(current, next string) {
		t.Helper()
		if p := path(); p != "/profile/password" {
			t.Fatalf("at %s, want the password change", p)
		}
		fill(map[string]string{"current": current, "new": next, "confirm": next})
		submit(`form[action="/profile/password"] button[type="submit"]`)
		if msg := text(".alert-ok"); msg != "パスワードを変更しました。" {
			t.Fatalf("after changing the password: %q", msg)
		}
	}

	signIn("admin", oneTime)
	if p := path(); p != "/login/mfa/setup" {
		t.Fatalf("administrator's first sign-in lands on %s, want MFA enrolment", p)
	}
	code, _ := auth.TOTPCode(text(`[data-testid="totp-secret"]`), e.clock.Now())
	fill(map[string]string{"code": code})
	submit(`form[action="/login/mfa/setup"] button[type="submit"]`)
	if codes := text(`[data-testid="recovery-codes"]`); strings.Count(codes, "-") != 10 {
		t.Fatalf("recovery codes: %q", codes)
	}
	submit(`a.button.primary`) // 続ける
	newPassword(oneTime, "副町長室の鍵は総務課の金庫の中")

	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/admin/users/new")); err != nil {
		t.Fatal(err)
	}
	fill(map[string]string{"login_id": "k-tanaka", "name": "田中 恵子", "name_kana": "タナカ ケイコ", "email": "k-tanaka@town.example"})
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("unit_id"), itoa(unit.ID))); err != nil {
		t.Fatal(err)
	}
	submit(`form[action="/admin/users"] button[type="submit"]`)
	if h1 := text("main h1"); h1 != "田中 恵子" {
		t.Fatalf("after creating the user the page shows %q", h1)
	}
	staffPassword := text(`[data-testid="one-time-password"]`)

	submit(`form[action="/logout"] button`)
	if p := path(); p != "/login" {
		t.Fatalf("after signing out at %s", p)
	}
	signIn("k-tanaka", staffPassword)
	newPassword(staffPassword, "税務課の窓口は朝八時半から開きます")
	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	if h1 := text("main h1"); h1 != "田中 恵子 さん、こんにちは" {
		t.Errorf("staff member's home: %q", h1)
	} // Everything above is in the audit trail, and the chain holds.
	check, err := e.db.VerifyAudit(context.Background())
	if err != nil || check.BrokenID != 0 || check.Events < 10 {
		t.Errorf("audit trail after the session: %+v, %v", check, err)
	}
}

// The security office appoints a new 情報セキュリティ管理者 for 税務課 in the browser; the chart and
// the unit page show them, and their own account can act for 税務課 from its next request.
func TestBrowserOfficeAppointsSectionManager(t *testing.T) {
	e := newEnv(t)
	general := e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	kato := e.orgPerson(t, "加藤 花子", "0123-45-1102", general.ID)
	katoClient := e.orgSignInAsPerson(t, "kato", kato)
	if res, _ := get(t, katoClient, e.srv.URL+"/units/"+itoa(tax.ID)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("before the appointment 加藤 gets %d for 税務課, want 404", res.StatusCode)
	}
	_, secret := e.createUser(t, "office", isms.RoleSecurityOffice, general.ID, true)

	ctx := browsertest.New(t)
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	click := func(sel string) {
		t.Helper()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return strings.Join(strings.Fields(s), " ")
	}
	code, _ := auth.TOTPCode(secret, e.clock.Now())
	run("sign in", chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.SendKeys(chromedp.ID("login_id"), "office"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	click(`form[action="/login"] button[type="submit"]`)
	run("second factor", chromedp.SendKeys(chromedp.ID("code"), code))
	click(`form[action="/login/mfa"] button[type="submit"]`)

	// From the unit page to the assignment form, with the unit chosen already.
	run("open 税務課", chromedp.Navigate(e.srv.URL+"/units/"+itoa(tax.ID)))
	if h1 := text("main h1"); !strings.Contains(h1, "税務課") {
		t.Fatalf("unit page heading %q", h1)
	}
	click(`a[href="/assignments/new?unit=` + itoa(tax.ID) + `"]`)
	run("fill the form",
		chromedp.SetValue(chromedp.ID("person_id"), itoa(kato.ID)),
		chromedp.SetValue(chromedp.ID("role_code"), string(isms.RoleCodeISM)),
		chromedp.SetValue(chromedp.ID("valid_from"), "2026-11-25"))
	click(`form[action="/assignments"] button[type="submit"]`)
	if flash := text(".alert-ok"); flash == "" {
		t.Errorf("no confirmation after saving")
	}

	run("open the chart", chromedp.Navigate(e.srv.URL+"/org"))
	if unit := text(`#unit-` + itoa(tax.ID)); !strings.Contains(unit, "情報セキュリティ管理者") || !strings.Contains(unit, "加藤 花子") {
		t.Errorf("the chart's 税務課 reads %q", unit)
	}
	if warnings := text("main"); strings.Contains(warnings, "税務課 に情報セキュリティ管理者が設定されていません") {
		t.Error("the chart still warns that 税務課 has no manager")
	}
	run("open 税務課 again", chromedp.Navigate(e.srv.URL+"/units/"+itoa(tax.ID)))
	if page := text("main"); !strings.Contains(page, "加藤 花子") {
		t.Errorf("the unit page does not name the new manager: %q", page)
	}

	// 加藤's own session, unchanged, now reaches 税務課.
	if res, body := get(t, katoClient, e.srv.URL+"/units/"+itoa(tax.ID)); res.StatusCode != http.StatusOK || !strings.Contains(body, "税務課") {
		t.Errorf("after the appointment 加藤 gets %d for 税務課", res.StatusCode)
	}
}

// A member of 税務課 registers a ledger with My Number data in the LGWAN zone, reads the rule's
// message in Japanese with everything typed still there, moves it to the マイナンバー zone, and
// asks to dispose of it; the 課's 管理者 approves and records the disposal; the asset is 廃棄済
// with its record.
func TestBrowserAssetRuleApprovalAndDisposal(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	sato := e.orgPerson(t, "佐藤 花子", "0123-45-1101", tax.ID)
	kobayashi := e.orgPerson(t, "小林 五郎", "0123-45-1102", tax.ID)
	e.orgAssign(t, kobayashi.ID, isms.RoleCodeISM, tax.ID, false)
	for login, p := range map[string]isms.Person{"sato": sato, "kobayashi": kobayashi} {
		u, _ := e.createUser(t, login, isms.RoleStaff, tax.ID, false)
		if err := e.db.LinkPersonUser(context.Background(), system, p.ID, u.ID, p.Version); err != nil {
			t.Fatal(err)
		}
	}

	ctx := browsertest.New(t)
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	click := func(sel string) {
		t.Helper()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return strings.Join(strings.Fields(s), " ")
	}
	value := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return s
	}
	signIn := func(login string) {
		t.Helper()
		run("sign in as "+login, chromedp.Navigate(e.srv.URL+"/login"),
			chromedp.SendKeys(chromedp.ID("login_id"), login), chromedp.SendKeys(chromedp.ID("password"), testPassword))
		click(`form[action="/login"] button[type="submit"]`)
	}

	signIn("sato")
	click(`nav.main-nav a[href="/assets"]`)
	click(`a[href="/assets/new"]`)
	run("fill the form",
		chromedp.SendKeys(chromedp.ID("name"), "住民税課税台帳"),
		chromedp.SetValue(chromedp.ID("asset_type"), "INFO_ELECTRONIC"),
		chromedp.SetValue(chromedp.ID("form"), "electronic"),
		chromedp.SetValue(chromedp.ID("zone"), "LGWAN"),
		chromedp.Click(chromedp.ID("confidentiality-LGC3B")),
		chromedp.Click(chromedp.ID("integrity-LGI2")),
		chromedp.Click(chromedp.ID("availability-LGA1")),
		chromedp.Click(chromedp.ID("contains_my_number")),
		chromedp.SendKeys(chromedp.ID("backup_policy"), "日次で庁外保管"))
	click(`form[action="/assets"] button[type="submit"]`)
	if msg := text("#zone-error"); !strings.Contains(msg, "特定個人情報（マイナンバー）を含む情報資産は、マイナンバー利用事務系に配置してください。") {
		t.Errorf("beside the zone: %q", msg)
	}
	if name, backup := value("#name"), value("#backup_policy"); name != "住民税課税台帳" || backup != "日次で庁外保管" {
		t.Errorf("typed values lost: %q %q", name, backup)
	}

	run("move it to the My Number zone", chromedp.SetValue(chromedp.ID("zone"), "MYNUMBER"))
	click(`form[action="/assets"] button[type="submit"]`)
	if h1 := text("main h1"); !strings.Contains(h1, "住民税課税台帳") {
		t.Fatalf("after saving: %q", h1)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	assetPath := loc[len(e.srv.URL):]

	click(`a[href="` + assetPath + `/requests/new?kind=dispose"]`)
	run("ask to dispose", chromedp.SendKeys(chromedp.ID("detail"), "システム更改に伴い旧台帳データを廃棄する"),
		chromedp.SendKeys(chromedp.ID("method"), "消去ソフトで上書き消去"))
	click(`form[action="` + assetPath + `/requests"] button[type="submit"]`)
	click(`form[action="/logout"] button`)

	signIn("kobayashi")
	click(`nav.main-nav a[href="/requests"]`)
	click(`.decision-form button.primary`)
	if flash := text(".alert-ok"); flash != "申請を承認しました。" {
		t.Errorf("after approving: %q", flash)
	}
	run("open the request", chromedp.Navigate(e.srv.URL+assetPath))
	click(`a[href^="/requests/"]`)
	run("record the disposal",
		chromedp.SetValue(chromedp.ID("disposed_at"), "2026-11-25T15:30"),
		chromedp.SendKeys(chromedp.ID("disposed_by"), "小林 五郎"),
		chromedp.SetValue(chromedp.ID("disposal_method"), "initialise"),
		chromedp.SendKeys(chromedp.ID("evidence"), "消去ログ 2026-11-25 を総務課で保管"))
	click(`form#complete button[type="submit"]`)

	run("back to the asset", chromedp.Navigate(e.srv.URL+assetPath))
	if page := text("main"); !strings.Contains(page, "状態 廃棄済") || !strings.Contains(page, "消去ログ 2026-11-25 を総務課で保管") ||
		!strings.Contains(page, "小林 五郎") {
		t.Errorf("the disposed asset's page: %q", page)
	}
}
