package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// classificationAsset registers a paper asset of unit in the active scheme, as its unit would.
func (e *testEnv) classificationAsset(t *testing.T, name string, unit isms.Unit, c, i, a string, personal bool) isms.Asset {
	t.Helper()
	from, due := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	as, _, err := e.db.CreateAsset(context.Background(), system, isms.AssetInput{Name: name, Type: "INFO_PAPER",
		UnitID: unit.ID, Form: isms.FormPaper, Location: "書庫", C: c, I: i, A: a, ContainsPersonal: personal,
		ClassifiedAt: &from, ReviewDue: &due, Status: isms.AssetInUse})
	if err != nil {
		t.Fatalf("register %s: %v", name, err)
	}
	return as
}

// classificationVersion is the version of a level's or scheme's form, as the page carries it.
func classificationVersion(t *testing.T, body string) string {
	t.Helper()
	v := between(body, `name="version" value="`, `"`)
	if v == "" {
		t.Fatal("the form carries no version")
	}
	return v
}

// Every signed-in person reads the classification standard: both schemes with their levels in the
// guideline's words, the 2以上 threshold, and the matrix with a mark and words for each cell. Only
// those who keep the classification see the edit links and the menu entry, and reach the forms.
func TestClassificationPageAndGates(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "111", "税務課")
	clients := map[isms.Role]*http.Client{}
	for _, role := range isms.Roles {
		unit := int64(0)
		if role == isms.RoleStaff {
			unit = tax.ID
		}
		clients[role], _ = e.loginAs(t, string(role), role, unit)
	}
	for role, c := range clients {
		res, body := get(t, c, e.srv.URL+"/classification")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s reading /classification: %d", role, res.StatusCode)
		}
		orgWant(t, string(role)+" classification page", body, "<h1>分類基準</h1>",
			"自治体機密性による分類 (令和6年10月版〜)", "現在の分類基準", "機密性3段階による分類 (令和5年3月版まで)", "使用していない分類基準",
			"自治体機密性3B", "特定個人情報、要配慮個人情報、住民基本台帳情報等",
			"行政事務で取り扱う情報資産のうち、秘密文書に相当する機密性を要する情報資産",
			"「2以上」の情報資産", "区分ごとの既定の取扱制限 (自治体機密性による分類 (令和6年10月版〜))",
			`<span aria-hidden="true">●</span><span class="visually-hidden">適用</span>`,
			`<span class="visually-hidden">適用なし</span>`, "支給端末以外での作業禁止")
		manages := role == isms.RoleSecurityOffice || role == isms.RoleSystemAdmin
		links := []string{`href="/classification/levels/LGC2/edit"`, `href="/classification/levels/LGC2/restrictions"`,
			`href="/classification/restrictions/ENCRYPT/edit"`, `href="/classification/switch?to=R5"`, `<a href="/classification" aria-current="page">分類基準</a>`}
		if manages {
			orgWant(t, string(role)+" classification page", body, links...)
		} else {
			orgNot(t, string(role)+" classification page", body, links...)
		}
		for _, path := range []string{"/classification/levels/LGC2/edit", "/classification/levels/LGC2/restrictions",
			"/classification/restrictions/ENCRYPT/edit", "/classification/switch?to=R5"} {
			want := http.StatusForbidden
			if manages {
				want = http.StatusOK
			}
			if res, _ := get(t, c, e.srv.URL+path); res.StatusCode != want {
				t.Errorf("%s GET %s: %d, want %d", role, path, res.StatusCode, want)
			}
		}
		if !manages {
			for path, form := range map[string]url.Values{
				"/classification/levels/LGC2":              {"name_ja": {"x"}, "name_en": {"x"}, "definition_ja": {"x"}, "version": {"1"}},
				"/classification/levels/LGC2/restrictions": {"restriction": {"ENCRYPT"}, "version": {"1"}},
				"/classification/restrictions/ENCRYPT":     {"name_ja": {"x"}, "name_en": {"x"}, "version": {"1"}},
				"/classification/switch":                   {"to": {"R5"}, "version": {"1"}},
			} {
				if res, _ := post(t, c, e.srv.URL+path, form, nil); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s POST %s: %d", role, path, res.StatusCode)
				}
			}
		}
	}
	if active, _ := e.db.FindActiveScheme(context.Background()); active.Code != "R6" {
		t.Errorf("refused posts switched the scheme to %s", active.Code)
	}
	// A level or restriction that does not exist is 404 to those who may edit.
	if res, _ := get(t, clients[isms.RoleSecurityOffice], e.srv.URL+"/classification/levels/LGC9/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("no such level: %d", res.StatusCode)
	}
	if res, _ := get(t, clients[isms.RoleSecurityOffice], e.srv.URL+"/classification/switch?to=R9"); res.StatusCode != http.StatusNotFound {
		t.Errorf("no such scheme: %d", res.StatusCode)
	}
}

// The security office words a level, renames a restriction and edits a level's defaults through
// the forms: a refused form keeps what was typed with the message beside the field, a stale one is
// 409, and each change shows on the page and in the audit trail.
func TestClassificationEditForms(t *testing.T) {
	e := newEnv(t)
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)

	_, body := get(t, office, e.srv.URL+"/classification/levels/LGC2/edit")
	orgWant(t, "level form", body, "区分の文言の編集", `<label for="name_ja">名称 (日本語)</label>`,
		`<label for="definition_ja">定義 (日本語)</label>`, "直ちに一般に公表することを前提としていない情報資産", "自治体機密性による分類")
	version := classificationVersion(t, body)
	wording := url.Values{"name_ja": {""}, "name_en": {"Municipal confidentiality 2"},
		"definition_ja": {"町の対策基準による定義"}, "definition_en": {"The town's definition"}, "version": {version}}
	res, body := post(t, office, e.srv.URL+"/classification/levels/LGC2", wording, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "name_ja") != "入力してください。" ||
		!strings.Contains(body, "町の対策基準による定義") || !strings.Contains(body, `aria-describedby="name_ja-error"`) {
		t.Errorf("empty name: %d, error %q", res.StatusCode, fieldError(body, "name_ja"))
	}
	wording.Set("name_ja", "自治体機密性二")
	res, _ = post(t, office, e.srv.URL+"/classification/levels/LGC2", wording, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/classification#level-LGC2" {
		t.Fatalf("save wording: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, office, e.srv.URL+"/classification")
	orgWant(t, "page after the wording", body, "区分の文言を更新しました。", "自治体機密性二", "町の対策基準による定義")
	res, body = post(t, office, e.srv.URL+"/classification/levels/LGC2", wording, nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "このデータは他の人が先に更新しました") {
		t.Errorf("stale wording: %d", res.StatusCode)
	}

	_, body = get(t, office, e.srv.URL+"/classification/restrictions/ENCRYPT/edit")
	names := url.Values{"name_ja": {"暗号化又はパスワード設定"}, "name_en": {"Encrypt or set a password"}, "version": {classificationVersion(t, body)}}
	if res, _ := post(t, office, e.srv.URL+"/classification/restrictions/ENCRYPT", names, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename restriction: %d", res.StatusCode)
	}
	if res, _ := post(t, office, e.srv.URL+"/classification/restrictions/ENCRYPT", names, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("stale rename: %d", res.StatusCode)
	}

	// 自治体機密性2 takes 持出要許可 and drops 暗号化.
	_, body = get(t, office, e.srv.URL+"/classification/levels/LGC2/restrictions")
	orgWant(t, "defaults form", body, "既定の取扱制限の編集", `<legend>「自治体機密性二」の既定の取扱制限</legend>`,
		`id="restriction-ENCRYPT" name="restriction" value="ENCRYPT" checked`, `<label for="restriction-ENCRYPT">暗号化又はパスワード設定</label>`)
	orgNot(t, "defaults form", body, `value="TAKEOUT_APPROVAL" checked`)
	defaults := url.Values{"restriction": {"COPY_MIN", "DIST_APPROVAL", "TAKEOUT_APPROVAL", "SECURE_DISPOSAL"}, "version": {classificationVersion(t, body)}}
	res, _ = post(t, office, e.srv.URL+"/classification/levels/LGC2/restrictions", defaults, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/classification#scheme-R6" {
		t.Fatalf("save defaults: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := post(t, office, e.srv.URL+"/classification/levels/LGC2/restrictions", defaults, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("stale defaults: %d", res.StatusCode)
	}
	_, body = get(t, office, e.srv.URL+"/classification/levels/LGC2/restrictions")
	orgWant(t, "defaults form after saving", body, `value="TAKEOUT_APPROVAL" checked`)
	orgNot(t, "defaults form after saving", body, `value="ENCRYPT" checked`)

	// The audit trail viewer names each change in words.
	_, body = get(t, office, e.srv.URL+"/audit")
	orgWant(t, "audit trail", body, "区分の文言の変更", "取扱制限の名称の変更", "既定の取扱制限の変更")
}

// The security office switches the scheme through its confirmation page, which says how many
// assets will be mapped and flagged 再分類要確認 and by which mapping; the unit's staff then
// confirm an asset's mapped levels from its page, which staff of another unit do not find.
func TestSchemeSwitchAndReclassifyConfirm(t *testing.T) {
	e := newEnv(t)
	tax := e.createUnit(t, "111", "税務課")
	life := e.createUnit(t, "120", "住民生活課")
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	clerk, _ := e.loginAs(t, "clerk", isms.RoleStaff, tax.ID)
	stranger, _ := e.loginAs(t, "stranger", isms.RoleStaff, life.ID)
	ciso, _ := e.loginAs(t, "ciso", isms.RoleCISO, 0)

	// The town still classifies by the old scheme: switch to it first, with nothing to map.
	res, body := get(t, office, e.srv.URL+"/classification/switch?to=R5")
	orgWant(t, "switch page to R5", body, "分類基準の切替え", "読み替える情報資産はありません。",
		"分類基準を「自治体機密性による分類 (令和6年10月版〜)」から「機密性3段階による分類 (令和5年3月版まで)」に切り替えます。")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("switch page: %d", res.StatusCode)
	}
	res, _ = post(t, office, e.srv.URL+"/classification/switch", url.Values{"to": {"R5"}, "version": {classificationVersion(t, body)}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/classification" {
		t.Fatalf("switch to R5: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, office, e.srv.URL+"/classification")
	orgWant(t, "page after switching", body, "分類基準を切り替えました。", `href="/classification/switch?to=R6"`)

	ledger := e.classificationAsset(t, "窓口受付簿", tax, "C2", "I1", "A1", true)
	e.classificationAsset(t, "課内会議資料", tax, "C2", "I1", "A1", false)

	_, body = get(t, office, e.srv.URL+"/classification/switch?to=R6")
	orgWant(t, "switch page to R6", body, "廃棄済みでない情報資産のうち 2 件の分類を", "「再分類要確認」とします",
		"<caption>区分の対応表</caption>", "<th scope=\"row\">機密性2</th><td>その他の個人情報を含む</td><td>自治体機密性3C</td>",
		"<th scope=\"row\">機密性2</th><td>特定個人情報又は要配慮個人情報を含む</td><td>自治体機密性3B</td>")
	version := classificationVersion(t, body)
	// A cross-origin post is refused before it reaches the switch.
	if res, _ := post(t, office, e.srv.URL+"/classification/switch", url.Values{"to": {"R6"}, "version": {version}},
		map[string]string{"Sec-Fetch-Site": "cross-site"}); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin switch: %d", res.StatusCode)
	}
	res, body = post(t, office, e.srv.URL+"/classification/switch", url.Values{"to": {"R6"}, "version": {"1"}}, nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "このデータは他の人が先に更新しました") {
		t.Errorf("stale switch: %d", res.StatusCode)
	}
	if res, _ := post(t, office, e.srv.URL+"/classification/switch", url.Values{"to": {"R6"}, "version": {version}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch to R6: %d", res.StatusCode)
	}
	_, body = get(t, office, e.srv.URL+"/classification")
	orgWant(t, "page after mapping", body, "再分類要確認の情報資産が 2 件あります。")
	_, body = get(t, office, e.srv.URL+"/classification/switch?to=R6")
	orgWant(t, "switch page to the active scheme", body, "は既に現在の分類基準です。")
	orgNot(t, "switch page to the active scheme", body, `action="/classification/switch"`)

	mapped, err := e.db.FindAsset(context.Background(), system, ledger.ID)
	if err != nil || mapped.C != "LGC3C" || !mapped.Reclassify {
		t.Fatalf("mapped asset: %s reclassify=%v, %v", mapped.C, mapped.Reclassify, err)
	}
	confirm := e.srv.URL + "/assets/" + itoa(ledger.ID) + "/reclassify/confirm"
	form := url.Values{"version": {itoa(int64(mapped.Version))}}
	if res, _ := post(t, stranger, confirm, form, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff of another unit confirming: %d", res.StatusCode)
	}
	if res, _ := post(t, ciso, confirm, form, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("the CISO confirming: %d", res.StatusCode)
	}
	if res, _ := post(t, clerk, confirm, form, map[string]string{"Sec-Fetch-Site": "cross-site"}); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin confirmation: %d", res.StatusCode)
	}
	if res, _ := post(t, clerk, confirm, url.Values{"version": {itoa(int64(mapped.Version - 1))}}, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("stale confirmation: %d", res.StatusCode)
	}
	res, _ = post(t, clerk, confirm, form, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/assets/"+itoa(ledger.ID) {
		t.Fatalf("confirm: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, body = get(t, clerk, e.srv.URL+"/assets/"+itoa(ledger.ID))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "分類を確認しました。「再分類要確認」を解除しました。") {
		t.Errorf("asset page after confirming: %d", res.StatusCode)
	}
	if got, _ := e.db.FindAsset(context.Background(), system, ledger.ID); got.Reclassify || got.C != "LGC3C" {
		t.Errorf("after confirming: %s reclassify=%v", got.C, got.Reclassify)
	}
	_, body = get(t, office, e.srv.URL+"/classification")
	orgWant(t, "page after one confirmation", body, "再分類要確認の情報資産が 1 件あります。")
}
