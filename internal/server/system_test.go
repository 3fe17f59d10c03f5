package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// sysTown is a town of two sections: 税務課 with a clerk who keeps its register and its 課長 who
// holds 情報システム管理者 for it, and 住民生活課 with a clerk of its own.
type sysTown struct {
	tax, life        isms.Unit
	admin            isms.Person
	clerk, lifeClerk *http.Client
}

func newSysTown(t *testing.T, e *testEnv) sysTown {
	t.Helper()
	var tw sysTown
	tw.tax = e.orgUnit(t, "130", "税務課", isms.UnitSection, 0)
	tw.life = e.orgUnit(t, "140", "住民生活課", isms.UnitSection, 0)
	tw.admin = e.orgPerson(t, "税務 課長", "0179-00-0001", tw.tax.ID)
	e.orgAssign(t, tw.admin.ID, isms.RoleCodeSystemAdmin, tw.tax.ID, false)
	tw.clerk = e.orgSignInAsPerson(t, "zeimu", e.orgPerson(t, "税務 一郎", "0179-00-0002", tw.tax.ID))
	tw.lifeClerk = e.orgSignInAsPerson(t, "jumin", e.orgPerson(t, "住民 花子", "0179-00-0003", tw.life.ID))
	return tw
}

// sysForm is a valid system form of unit.
func sysForm(code, name string, unit int64, version int) url.Values {
	return url.Values{"code": {code}, "name": {name}, "unit_id": {itoa(unit)}, "zone": {"LGWAN"}, "hosting": {"onpremises"},
		"admin_person_id": {"0"}, "version": {itoa(int64(version))}}
}

// sysCreate posts the new-system form and returns the new system's page from where it redirects.
func sysCreate(t *testing.T, e *testEnv, c *http.Client, form url.Values) string {
	t.Helper()
	res, body := post(t, c, e.srv.URL+"/systems", form, nil)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/systems/\d+$`).MatchString(loc) {
		t.Fatalf("create %s: %d to %q\n%s", form.Get("code"), res.StatusCode, loc, body)
	}
	return loc
}

// sysID is the id at the end of a system's path.
func sysID(path string) int64 {
	var id int64
	for _, r := range path[strings.LastIndex(path, "/")+1:] {
		id = id*10 + int64(r-'0')
	}
	return id
}

// sysCell is the text of the computed level of one axis on a system's page.
func sysCell(body, axis string) string {
	return strings.TrimSpace(between(between(body, `id="cia"`, "</section>"), `data-axis="`+axis+`">`, "<"))
}

// sysAsset registers an asset of unit held by the system, at the levels given.
func sysAsset(t *testing.T, e *testEnv, name string, unit, systemID int64, c, i, a string) isms.Asset {
	t.Helper()
	hours := 24
	day := testClock
	as, _, err := e.db.CreateAsset(context.Background(), system, isms.AssetInput{
		Name: name, Type: "INFO_ELECTRONIC", UnitID: unit, Form: isms.FormElectronic, Zone: isms.ZoneLGWAN,
		SystemID: systemID, C: c, I: i, A: a, BackupPolicy: "日次", RecoveryHours: &hours,
		ClassifiedAt: &day, ReviewDue: &day, Status: isms.AssetInUse})
	if err != nil {
		t.Fatalf("asset %s: %v", name, err)
	}
	return as
}

// A clerk registers the 課's system through the form, choosing its 情報システム管理者 among the
// holders of the role; the page shows every field with its label, the list counts and prints it,
// and the edit form saves a change into the history.
func TestSystemRegisterForms(t *testing.T) {
	e := newEnv(t)
	tw := newSysTown(t, e)

	res, body := get(t, tw.clerk, e.srv.URL+"/systems/new")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("new system form: %d", res.StatusCode)
	}
	orgWant(t, "new system form", body, "情報システムの登録", `<label for="code">システム番号</label>`,
		`<label for="admin_person_id">情報システム管理者</label>`, `<optgroup label="税務課">`,
		`<option value="`+itoa(tw.admin.ID)+`">税務 課長</option>`, `<option value="`+itoa(tw.tax.ID)+`" selected>130 税務課</option>`,
		`<label for="zone">配置区分</label>`, "マイナンバー利用事務系", "ガバメントクラウド", "画面転送", "ファイル無害化",
		`<label for="mfa_enabled">多要素認証を導入している</label>`, `<label for="recovery_hours">目標復旧時間 (時間)</label>`,
		`<label for="documents">構成図・仕様書 (システム関連文書)</label>`)
	orgNot(t, "new system form", body, "住民生活課</option>") // a unit the clerk does not keep

	form := sysForm("SYS-001", "税務システム", tw.tax.ID, 0)
	form.Set("admin_person_id", itoa(tw.admin.ID))
	form.Set("business", "住民税・固定資産税の賦課徴収")
	form.Set("hosting", "gov_cloud")
	form.Set("standard_system", "1")
	form.Set("handles_my_number", "1")
	form.Set("vendor_maint", "株式会社南部システム")
	form.Set("contract_from", "2026-04-01")
	form.Set("contract_to", "2031-03-31")
	form.Set("recovery_hours", "48")
	form.Set("sanitization_method", "screen_transfer")
	form.Set("documents", "システム構成図 (情報政策係のキャビネット)")
	page := sysCreate(t, e, tw.clerk, form)
	res, body = get(t, tw.clerk, e.srv.URL+page)
	orgWant(t, "system page", body, "情報システムを登録しました。", "<h1>税務システム <span class=\"code\">SYS-001</span></h1>",
		"住民税・固定資産税の賦課徴収", `<a href="/units/`+itoa(tw.tax.ID)+`">税務課</a>`, "税務 課長", "ガバメントクラウド",
		"LGWAN接続系", "特定個人情報: 該当", "個人情報: 該当", "株式会社南部システム", "2026年4月1日 〜 2031年3月31日", "48時間",
		"画面転送", "システム構成図 (情報政策係のキャビネット)", "保有する情報資産の最高位", "直近の自己点検／監査",
		"確認事項はありません。", "例外措置はありません。", `data-action="system.create"`, "情報システムの登録")

	res, body = get(t, tw.clerk, e.srv.URL+"/systems")
	orgWant(t, "register", body, "情報システム台帳", "1 件", "情報システム台帳 (2026年11月25日 現在)",
		`<a href="`+page+`">税務システム</a>`, `<link rel="stylesheet" href="/static/print.css" media="print">`,
		`href="/systems" aria-current="page"`)

	// The edit form starts from the stored system and saves a change.
	res, body = get(t, tw.clerk, e.srv.URL+page+"/edit")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("edit form: %d", res.StatusCode)
	}
	orgWant(t, "edit form", body, `value="SYS-001"`, `value="2031-03-31"`, `value="48"`,
		`<option value="`+itoa(tw.admin.ID)+`" selected>税務 課長</option>`, `name="version" value="1"`)
	form.Set("version", "1")
	form.Set("name", "税務総合システム")
	if res, _ = post(t, tw.clerk, e.srv.URL+page, form, nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
		t.Fatalf("update: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, tw.clerk, e.srv.URL+page)
	orgWant(t, "updated page", body, "情報システムを更新しました。", "税務総合システム", `data-action="system.update"`, "情報システムの変更")

	// The same form again is stale: 409, with the way to the latest.
	form.Set("name", "古い画面からの保存")
	res, body = post(t, tw.clerk, e.srv.URL+page, form, nil)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale edit: %d", res.StatusCode)
	}
	orgWant(t, "conflict", body, "他の人が先に更新しました", `value="古い画面からの保存"`, `<a href="`+page+`">最新の内容を表示</a>`)

	// In English every label and message is the catalogue's, none a bare key.
	if res, _ = post(t, tw.clerk, e.srv.URL+"/lang", url.Values{"lang": {"en"}, "next": {page}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch to English: %d", res.StatusCode)
	}
	for _, path := range []string{page, page + "/edit", "/systems", "/systems/new"} {
		_, body = get(t, tw.clerk, e.srv.URL+path)
		if keys := regexp.MustCompile(`>\s*(system|zone|rule)\.[a-zA-Z_.-]+\s*<`).FindAllString(body, -1); len(keys) > 0 {
			t.Errorf("%s shows catalogue keys: %v", path, keys)
		}
	}
	orgWant(t, "English page", body, "Register an information system", "Owning section", "Information System Administrator")
}

// A refused form keeps what was typed and says beside each field what is wrong: a missing code,
// a contract that ends before it starts, a recovery time that is no number, and an administrator
// who does not hold the role.
func TestSystemFormErrors(t *testing.T) {
	e := newEnv(t)
	tw := newSysTown(t, e)
	plain := e.orgPerson(t, "税務 二郎", "0179-00-0009", tw.tax.ID)

	form := sysForm("", "税務システム", tw.tax.ID, 0)
	form.Set("contract_from", "2027-04-01")
	form.Set("contract_to", "2026-03-31")
	form.Set("recovery_hours", "半日")
	res, body := post(t, tw.clerk, e.srv.URL+"/systems", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid system: %d", res.StatusCode)
	}
	orgWant(t, "refused form", body, "入力内容に誤りがあります", `value="税務システム"`, `value="半日"`,
		`aria-describedby="code-error"`, `aria-invalid="true"`)
	for field, want := range map[string]string{"code": "入力してください。",
		"contract_to":    "終了日は開始日と同じ日か、それより後の日にしてください。",
		"recovery_hours": "目標復旧時間は 1 以上の整数 (時間) で入力してください。"} {
		if got := fieldError(body, field); got != want {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}

	form = sysForm("SYS-002", "税務システム", tw.tax.ID, 0)
	form.Set("admin_person_id", itoa(plain.ID))
	res, body = post(t, tw.clerk, e.srv.URL+"/systems", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("not an administrator: %d", res.StatusCode)
	}
	if got := fieldError(body, "admin_person_id"); !strings.Contains(got, "情報システム管理者の役割を担っていません") {
		t.Errorf("administrator error: %q", got)
	}
	orgWant(t, "refused administrator", body, `<option value="`+itoa(plain.ID)+`" selected>(選択された職員)</option>`)

	sysCreate(t, e, tw.clerk, sysForm("SYS-003", "税務システム", tw.tax.ID, 0))
	res, body = post(t, tw.clerk, e.srv.URL+"/systems", sysForm("SYS-003", "別のシステム", tw.tax.ID, 0), nil)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "code") != "このシステム番号は既に使われています。" {
		t.Errorf("duplicate code: %d %q", res.StatusCode, fieldError(body, "code"))
	}
}

// The page shows the system's C, I and A as the highest of the assets it holds, linked; an
// asset that no longer counts lets them fall back.
func TestSystemPageLevelsFollowAssets(t *testing.T) {
	e := newEnv(t)
	tw := newSysTown(t, e)
	page := sysCreate(t, e, tw.clerk, sysForm("SYS-010", "税務システム", tw.tax.ID, 0))
	id := sysID(page)
	_, body := get(t, tw.clerk, e.srv.URL+page)
	if sysCell(body, "C") != "—" {
		t.Errorf("without assets: %q", sysCell(body, "C"))
	}
	orgWant(t, "page without assets", body, "この情報システムが保有する情報資産は登録されていません。")

	ledger := sysAsset(t, e, "住民税課税台帳", tw.tax.ID, id, "LGC3B", "LGI2", "LGA1")
	sysAsset(t, e, "操作手順書", tw.tax.ID, id, "LGC2", "LGI1", "LGA2")
	_, body = get(t, tw.clerk, e.srv.URL+page)
	if c, i, a := sysCell(body, "C"), sysCell(body, "I"), sysCell(body, "A"); c != "自治体機密性3B" || i != "完全性2" || a != "可用性2" {
		t.Errorf("with assets: %q %q %q", c, i, a)
	}
	orgWant(t, "page with assets", body, `<a href="/assets/`+itoa(ledger.ID)+`">`+ledger.Number+`</a>`, "住民税課税台帳", "操作手順書")
	_, body = get(t, tw.clerk, e.srv.URL+"/systems")
	orgWant(t, "register with assets", body, `<td data-axis="C">自治体機密性3B</td>`)

	in := ledger.Input()
	in.SystemID = 0
	if _, _, err := e.db.UpdateAsset(context.Background(), system, ledger.ID, in); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, tw.clerk, e.srv.URL+page)
	if c, i := sysCell(body, "C"), sysCell(body, "I"); c != "自治体機密性2" || i != "完全性1" {
		t.Errorf("after the ledger left: %q %q", c, i)
	}
}

// Z-4: a マイナンバー system without MFA is saved, flagged 要確認 on its page and in the list;
// the CISO permits a 例外措置, after which the page shows it and the flag is gone.
func TestSystemMyNumberFlagAndException(t *testing.T) {
	e := newEnv(t)
	tw := newSysTown(t, e)
	form := sysForm("SYS-020", "住民記録システム", tw.tax.ID, 0)
	form.Set("zone", "MYNUMBER")
	form.Set("usb_block_enabled", "1")
	page := sysCreate(t, e, tw.clerk, form)
	_, body := get(t, tw.clerk, e.srv.URL+page)
	orgWant(t, "flagged page", body, "この情報システムには要確認の事項があります。", `<li data-rule="Z-4">`,
		"マイナンバー利用事務系の情報システムでは、多要素認証と電磁的記録媒体への持ち出し不可設定を有効にしてください。")
	orgNot(t, "clerk's page", body, `id="exception-form"`)
	_, body = get(t, tw.clerk, e.srv.URL+"/systems?flagged=1")
	orgWant(t, "flagged list", body, "1 件", "住民記録システム", "要確認のみ")

	ciso, _ := e.loginAs(t, "ciso", isms.RoleCISO, 0)
	_, body = get(t, ciso, e.srv.URL+page)
	orgWant(t, "CISO's page", body, `id="exception-form"`, `<option value="Z-4">Z-4 マイナンバー利用事務系の情報システム</option>`)
	exception := url.Values{"rule_code": {"Z-4"}, "reason": {"端末の更新 (令和9年3月) まで"}, "measures": {"操作ログを毎日確認"}, "valid_to": {"2027-03-31"}}
	res, _ := post(t, ciso, e.srv.URL+page+"/exceptions", url.Values{"rule_code": {"Z-4"}, "valid_to": {"2027-03-31"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("exception without a reason: %d", res.StatusCode)
	}
	if res, _ = post(t, tw.clerk, e.srv.URL+page+"/exceptions", exception, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("clerk permitting an exception: %d", res.StatusCode)
	}
	res, _ = post(t, ciso, e.srv.URL+page+"/exceptions", exception, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page+"#findings" {
		t.Fatalf("exception: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, tw.clerk, e.srv.URL+page)
	orgWant(t, "excepted page", body, "例外措置により許可", "端末の更新 (令和9年3月) まで", "操作ログを毎日確認", "2027年3月31日")
	orgNot(t, "excepted page", body, "この情報システムには要確認の事項があります。")
	_, body = get(t, tw.clerk, e.srv.URL+"/systems?flagged=1")
	orgWant(t, "flagged list after the exception", body, "0 件")
}

// Another unit's system is 404 to a clerk, exactly like a missing one, and absent from the list;
// the CISO and auditors read every system but get 403 on the forms; a cross-origin POST is refused.
func TestSystemScopeAndGates(t *testing.T) {
	e := newEnv(t)
	tw := newSysTown(t, e)
	page := sysCreate(t, e, tw.lifeClerk, sysForm("SYS-030", "住民記録システム", tw.life.ID, 0))
	mine := sysCreate(t, e, tw.clerk, sysForm("SYS-031", "税務システム", tw.tax.ID, 0))

	for _, path := range []string{page, page + "/edit", "/systems/999999"} {
		if res, _ := get(t, tw.clerk, e.srv.URL+path); res.StatusCode != http.StatusNotFound {
			t.Errorf("clerk GET %s: %d", path, res.StatusCode)
		}
	}
	if res, _ := post(t, tw.clerk, e.srv.URL+page, sysForm("SYS-030", "書き換え", tw.life.ID, 1), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("clerk POST another unit's system: %d", res.StatusCode)
	}
	_, body := get(t, tw.clerk, e.srv.URL+"/systems")
	orgWant(t, "clerk's register", body, "1 件", "税務システム")
	orgNot(t, "clerk's register", body, "住民記録システム")

	ciso, _ := e.loginAs(t, "ciso", isms.RoleCISO, 0)
	auditor, _ := e.loginAs(t, "auditor", isms.RoleAuditor, 0)
	for who, c := range map[string]*http.Client{"CISO": ciso, "auditor": auditor} {
		res, body := get(t, c, e.srv.URL+"/systems")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "2 件") || strings.Contains(body, `href="/systems/new"`) {
			t.Errorf("%s's register: %d", who, res.StatusCode)
		}
		res, body = get(t, c, e.srv.URL+page)
		if res.StatusCode != http.StatusOK || strings.Contains(body, page+"/edit") {
			t.Errorf("%s reads a system: %d", who, res.StatusCode)
		}
		for _, path := range []string{"/systems/new", page + "/edit"} {
			if res, _ := get(t, c, e.srv.URL+path); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET %s: %d", who, path, res.StatusCode)
			}
		}
		for _, path := range []string{"/systems", page} {
			if res, _ := post(t, c, e.srv.URL+path, sysForm("SYS-099", "CISO", tw.life.ID, 1), nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST %s: %d", who, path, res.StatusCode)
			}
		}
	}

	cross := map[string]string{"Sec-Fetch-Site": "cross-site"}
	if res, _ := post(t, tw.clerk, e.srv.URL+"/systems", sysForm("SYS-040", "偽造", tw.tax.ID, 0), cross); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin create: %d", res.StatusCode)
	}
	if res, _ := post(t, tw.clerk, e.srv.URL+mine, sysForm("SYS-031", "偽造", tw.tax.ID, 1), cross); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin update: %d", res.StatusCode)
	}
	_, body = get(t, tw.clerk, e.srv.URL+"/systems")
	orgNot(t, "register after forged posts", body, "偽造")
}
