package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// browserSignIn signs login in on the page with password, and with the second factor when secret
// (the account's TOTP secret) is not "".
func (e *testEnv) browserSignIn(p *browsertest.Page, login, password, secret string) {
	p.T.Helper()
	p.Run("sign in as "+login, chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.SendKeys(chromedp.ID("login_id"), login), chromedp.SendKeys(chromedp.ID("password"), password))
	p.Click(`form[action="/login"] button[type="submit"]`)
	if secret == "" {
		return
	}
	code, err := auth.TOTPCode(secret, e.clock.Now())
	if err != nil {
		p.T.Fatal(err)
	}
	p.Run("second factor", chromedp.SendKeys(chromedp.ID("code"), code))
	p.Click(`form[action="/login/mfa"] button[type="submit"]`)
}

// A person opens the portal (its sign-in page), sees it in Japanese, presses "English" and sees the
// English title;
// the choice survives a reload, and pressing 日本語 brings Japanese back.
func TestBrowserLanguageSwitch(t *testing.T) {
	srv := newTestServer(t)
	p := browsertest.NewPage(t)

	p.Run("open the portal", chromedp.Navigate(srv.URL+"/"))
	expect := func(wantTitle, wantH1, wantLang string) {
		t.Helper()
		title, err := chromedp.Run(p.Ctx, chromedp.Title())
		if err != nil {
			t.Fatal(err)
		}
		h1 := p.Text("main h1")
		lang, err := chromedp.Run(p.Ctx, chromedp.Evaluate[string]("document.documentElement.lang"))
		if err != nil {
			t.Fatal(err)
		}
		if title != wantTitle || h1 != wantH1 || lang != wantLang {
			t.Errorf("page: title %q, h1 %q, lang %q; want %q, %q, %q", title, h1, lang, wantTitle, wantH1, wantLang)
		}
	}
	expect("ログイン | 情報セキュリティ管理ポータル", "ログイン", "ja")

	p.Click(`button[name="lang"][value="en"]`)
	expect("Sign in | ISMS Portal", "Sign in", "en")
	pressed, err := chromedp.Run(p.Ctx, chromedp.AttributeValue(chromedp.CSS(`button[value="en"]`), "aria-pressed"))
	if err != nil || pressed.Value != "true" {
		t.Errorf("English button aria-pressed = %+v, %v", pressed, err)
	}

	if _, err := chromedp.RunResponse(p.Ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	expect("Sign in | ISMS Portal", "Sign in", "en")

	p.Click(`button[name="lang"][value="ja"]`)
	expect("ログイン | 情報セキュリティ管理ポータル", "ログイン", "ja")
}

// The skip link is the first thing the keyboard reaches, and following it moves focus to the
// main content.
func TestBrowserSkipLinkByKeyboard(t *testing.T) {
	srv := newTestServer(t)
	p := browsertest.NewPage(t)
	p.Run("open the portal and press Tab", chromedp.Navigate(srv.URL+"/"), chromedp.KeyEvent("\t"))
	focused, err := chromedp.Run(p.Ctx, chromedp.Evaluate[string]("document.activeElement.textContent"))
	if err != nil || focused != "本文へスキップ" {
		t.Fatalf("first Tab focuses %q (%v), want the skip link", focused, err)
	}
	p.Run("press Enter", chromedp.KeyEvent("\r"))
	id, err := chromedp.Run(p.Ctx, chromedp.Evaluate[string]("document.activeElement.id"))
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
	p := browsertest.NewPage(t)
	fill := func(fields map[string]string) {
		t.Helper()
		for id, v := range fields {
			p.Run("typing into #"+id, chromedp.SendKeys(chromedp.ID(id), v))
		}
	}
	newPassword := func(current, next string) {
		t.Helper()
		if path := p.Path(); path != "/profile/password" {
			t.Fatalf("at %s, want the password change", path)
		}
		fill(map[string]string{"current": current, "new": next, "confirm": next})
		p.Click(`form[action="/profile/password"] button[type="submit"]`)
		if msg := p.Text(".alert-ok"); msg != "パスワードを変更しました。" {
			t.Fatalf("after changing the password: %q", msg)
		}
	}

	e.browserSignIn(p, "admin", oneTime, "")
	if path := p.Path(); path != "/login/mfa/setup" {
		t.Fatalf("administrator's first sign-in lands on %s, want MFA enrolment", path)
	}
	code, _ := auth.TOTPCode(p.Text(`[data-testid="totp-secret"]`), e.clock.Now())
	fill(map[string]string{"code": code})
	p.Click(`form[action="/login/mfa/setup"] button[type="submit"]`)
	if codes := p.Text(`[data-testid="recovery-codes"]`); strings.Count(codes, "-") != 10 {
		t.Fatalf("recovery codes: %q", codes)
	}
	p.Click(`a.button.primary`) // 続ける
	newPassword(oneTime, "副町長室の鍵は総務課の金庫の中")

	p.Run("open the new account form", chromedp.Navigate(e.srv.URL+"/admin/users/new"))
	fill(map[string]string{"login_id": "k-tanaka", "name": "田中 恵子", "name_kana": "タナカ ケイコ", "email": "k-tanaka@town.example"})
	p.Run("choose the unit", chromedp.SetValue(chromedp.ID("unit_id"), itoa(unit.ID)))
	p.Click(`form[action="/admin/users"] button[type="submit"]`)
	if h1 := p.Text("main h1"); h1 != "田中 恵子" {
		t.Fatalf("after creating the user the page shows %q", h1)
	}
	staffPassword := p.Text(`[data-testid="one-time-password"]`)

	p.Click(`form[action="/logout"] button`)
	if path := p.Path(); path != "/login" {
		t.Fatalf("after signing out at %s", path)
	}
	e.browserSignIn(p, "k-tanaka", staffPassword, "")
	newPassword(staffPassword, "税務課の窓口は朝八時半から開きます")
	p.Run("open the home page", chromedp.Navigate(e.srv.URL+"/"))
	if h1 := p.Text("main h1"); h1 != "田中 恵子 さん、こんにちは" {
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

	p := browsertest.NewPage(t)
	e.browserSignIn(p, "office", testPassword, secret)

	// From the unit page to the assignment form, with the unit chosen already.
	p.Run("open 税務課", chromedp.Navigate(e.srv.URL+"/units/"+itoa(tax.ID)))
	if h1 := p.Text("main h1"); !strings.Contains(h1, "税務課") {
		t.Fatalf("unit page heading %q", h1)
	}
	p.Click(`a[href="/assignments/new?unit=` + itoa(tax.ID) + `"]`)
	p.Run("fill the form",
		chromedp.SetValue(chromedp.ID("person_id"), itoa(kato.ID)),
		chromedp.SetValue(chromedp.ID("role_code"), string(isms.RoleCodeISM)),
		chromedp.SetValue(chromedp.ID("valid_from"), "2026-11-25"))
	p.Click(`form[action="/assignments"] button[type="submit"]`)
	if flash := p.Text(".alert-ok"); flash == "" {
		t.Errorf("no confirmation after saving")
	}

	p.Run("open the chart", chromedp.Navigate(e.srv.URL+"/org"))
	if unit := p.Text(`#unit-` + itoa(tax.ID)); !strings.Contains(unit, "情報セキュリティ管理者") || !strings.Contains(unit, "加藤 花子") {
		t.Errorf("the chart's 税務課 reads %q", unit)
	}
	if warnings := p.Text("main"); strings.Contains(warnings, "税務課 に情報セキュリティ管理者が設定されていません") {
		t.Error("the chart still warns that 税務課 has no manager")
	}
	p.Run("open 税務課 again", chromedp.Navigate(e.srv.URL+"/units/"+itoa(tax.ID)))
	if page := p.Text("main"); !strings.Contains(page, "加藤 花子") {
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
	for login, person := range map[string]isms.Person{"sato": sato, "kobayashi": kobayashi} {
		u, _ := e.createUser(t, login, isms.RoleStaff, tax.ID, false)
		if err := e.db.LinkPersonUser(context.Background(), system, person.ID, u.ID, person.Version); err != nil {
			t.Fatal(err)
		}
	}

	p := browsertest.NewPage(t)
	e.browserSignIn(p, "sato", testPassword, "")
	p.Click(`nav.main-nav a[href="/assets"]`)
	p.Click(`a[href="/assets/new"]`)
	p.Run("fill the form",
		chromedp.SendKeys(chromedp.ID("name"), "住民税課税台帳"),
		chromedp.SetValue(chromedp.ID("asset_type"), "INFO_ELECTRONIC"),
		chromedp.SetValue(chromedp.ID("form"), "electronic"),
		chromedp.SetValue(chromedp.ID("zone"), "LGWAN"),
		chromedp.Click(chromedp.ID("confidentiality-LGC3B")),
		chromedp.Click(chromedp.ID("integrity-LGI2")),
		chromedp.Click(chromedp.ID("availability-LGA1")),
		chromedp.Click(chromedp.ID("contains_my_number")),
		chromedp.SendKeys(chromedp.ID("backup_policy"), "日次で庁外保管"))
	p.Click(`form[action="/assets"] button[type="submit"]`)
	if msg := p.Text("#zone-error"); !strings.Contains(msg, "特定個人情報（マイナンバー）を含む情報資産は、マイナンバー利用事務系に配置してください。") {
		t.Errorf("beside the zone: %q", msg)
	}
	if name, backup := p.Value("#name"), p.Value("#backup_policy"); name != "住民税課税台帳" || backup != "日次で庁外保管" {
		t.Errorf("typed values lost: %q %q", name, backup)
	}

	p.Run("move it to the My Number zone", chromedp.SetValue(chromedp.ID("zone"), "MYNUMBER"))
	p.Click(`form[action="/assets"] button[type="submit"]`)
	if h1 := p.Text("main h1"); !strings.Contains(h1, "住民税課税台帳") {
		t.Fatalf("after saving: %q", h1)
	}
	assetPath := p.Path()

	p.Click(`a[href="` + assetPath + `/requests/new?kind=dispose"]`)
	p.Run("ask to dispose", chromedp.SendKeys(chromedp.ID("detail"), "システム更改に伴い旧台帳データを廃棄する"),
		chromedp.SendKeys(chromedp.ID("method"), "消去ソフトで上書き消去"))
	p.Click(`form[action="` + assetPath + `/requests"] button[type="submit"]`)
	p.Click(`form[action="/logout"] button`)

	e.browserSignIn(p, "kobayashi", testPassword, "")
	p.Click(`nav.main-nav a[href="/requests"]`)
	p.Click(`.decision-form button.primary`)
	if flash := p.Text(".alert-ok"); flash != "申請を承認しました。" {
		t.Errorf("after approving: %q", flash)
	}
	p.Run("open the request", chromedp.Navigate(e.srv.URL+assetPath))
	p.Click(`a[href^="/requests/"]`)
	p.Run("record the disposal",
		chromedp.SetValue(chromedp.ID("disposed_at"), "2026-11-25T15:30"),
		chromedp.SendKeys(chromedp.ID("disposed_by"), "小林 五郎"),
		chromedp.SetValue(chromedp.ID("disposal_method"), "initialise"),
		chromedp.SendKeys(chromedp.ID("evidence"), "消去ログ 2026-11-25 を総務課で保管"))
	p.Click(`form#complete button[type="submit"]`)

	p.Run("back to the asset", chromedp.Navigate(e.srv.URL+assetPath))
	if page := p.Text("main"); !strings.Contains(page, "状態 廃棄済") || !strings.Contains(page, "消去ログ 2026-11-25 を総務課で保管") ||
		!strings.Contains(page, "小林 五郎") {
		t.Errorf("the disposed asset's page: %q", page)
	}
}
