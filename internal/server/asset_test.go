package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The asset pages: the register's list, each asset's page and label, the forms, and the CISO's
// 例外措置, against the real store on a real database.

// assetDay is a day of the test town's calendar.
func assetDay(y int, m time.Month, d int) *time.Time {
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &day
}

// assetInput is a valid asset of unit: electronic information in the LGWAN zone, 自治体機密性2,
// 完全性1, 可用性1, classified on 1 April 2026 and due for review at the end of that fiscal year.
func assetInput(name string, unitID int64) isms.AssetInput {
	return isms.AssetInput{
		Name: name, Type: "INFO_ELECTRONIC", UnitID: unitID, Form: isms.FormElectronic, Zone: isms.ZoneLGWAN,
		C: "LGC2", I: "LGI1", A: "LGA1", Status: isms.AssetInUse,
		ClassifiedAt: assetDay(2026, 4, 1), ReviewDue: assetDay(2027, 3, 31),
	}
}

// createAsset registers an asset through the store as the portal itself.
func (e *testEnv) createAsset(t *testing.T, in isms.AssetInput) isms.Asset {
	t.Helper()
	a, _, err := e.db.CreateAsset(context.Background(), system, in)
	if err != nil {
		t.Fatalf("create asset %s: %v", in.Name, err)
	}
	return a
}

// assetForm is the asset form as a browser sends it for a valid asset of unit.
func assetForm(name string, unitID int64, version int) url.Values {
	return url.Values{
		"name": {name}, "asset_type": {"INFO_ELECTRONIC"}, "description": {""}, "unit_id": {itoa(unitID)},
		"form": {"electronic"}, "location": {""}, "zone": {"LGWAN"},
		"confidentiality": {"LGC2"}, "integrity": {"LGI1"}, "availability": {"LGA1"},
		"restriction":   {"COPY_MIN", "DIST_APPROVAL", "ENCRYPT", "SECURE_DISPOSAL"},
		"default_shown": {"COPY_MIN", "DIST_APPROVAL", "ENCRYPT", "SECURE_DISPOSAL"},
		"classified_at": {"2026-11-25"}, "review_due": {"2027-03-31"}, "status": {"in_use"},
		"version": {itoa(int64(version))},
	}
}

// assetSave posts an asset form and returns the asset's id from where it redirects.
func assetSave(t *testing.T, e *testEnv, c *http.Client, path string, form url.Values) int64 {
	t.Helper()
	res, body := post(t, c, e.srv.URL+path, form, nil)
	m := regexp.MustCompile(`^/assets/(\d+)$`).FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("save %s: %d to %q\n%s", form.Get("name"), res.StatusCode, res.Header.Get("Location"), between(body, `<main`, `</main>`))
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

// assetRows are the asset names of a list page, in their order.
func assetRows(body string) []string {
	var names []string
	for _, m := range regexp.MustCompile(`<th scope="row"><a href="/assets/\d+">([^<]*)</a></th>`).FindAllStringSubmatch(body, -1) {
		names = append(names, m[1])
	}
	return names
}

// assetCount is the count line of a list page.
func assetCount(body string) string {
	return strings.TrimSpace(between(body, `data-testid="asset-count">`, "</p>"))
}

// The list narrows by search (a two-character word and a longer one, in the name or the
// description), unit, zone, level, personal information, 要確認 and overdue review; it sorts by
// name and review date, and pages by 50 with the count of all.
func TestAssetListFiltersSearchSortAndPages(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	residents := e.orgUnit(t, "120", "住民課", isms.UnitSection, 0)

	register := assetInput("住民基本台帳", residents.ID)
	register.Zone, register.C, register.ContainsPersonal, register.ReviewDue = isms.ZoneMyNumber, "LGC3B", true, assetDay(2027, 1, 31)
	e.createAsset(t, register)
	levy := assetInput("個人住民税課税台帳", tax.ID)
	levy.Zone, levy.C, levy.ContainsMyNumber = isms.ZoneMyNumber, "LGC3B", true
	levy.Description = "特別徴収分を含む"
	e.createAsset(t, levy)
	notice := assetInput("納税通知書控え", tax.ID)
	notice.Description = "住民への通知の控え"
	notice.ReviewDue = assetDay(2026, 3, 31) // overdue on 25 November 2026
	e.createAsset(t, notice)
	backup := assetInput("固定資産課税台帳", tax.ID)
	backup.I = "LGI2" // without a backup method: saved, flagged 要確認 (V-A6)
	e.createAsset(t, backup)
	for i := 1; i <= 52; i++ {
		e.createAsset(t, assetInput(fmt.Sprintf("会議資料%02d", i), tax.ID))
	}
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	list := func(query string) (string, []string) {
		t.Helper()
		res, body := get(t, office, e.srv.URL+"/assets?"+query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("list %s: %d", query, res.StatusCode)
		}
		return body, assetRows(body)
	}

	body, rows := list("")
	if got := assetCount(body); got != "該当 56 件" {
		t.Errorf("count of all: %q", got)
	}
	if len(rows) != 50 || rows[0] != "住民基本台帳" {
		t.Fatalf("first page: %d rows, first %v", len(rows), rows[:min(3, len(rows))])
	}
	orgWant(t, "list", body, "<h1>情報資産管理台帳</h1>", `<label for="q">名称・概要</label>`, "次の50件",
		`<option value="LGC3B">自治体機密性3B</option>`, `<option value="MYNUMBER">マイナンバー利用事務系</option>`,
		`<label for="flagged">要確認</label>`, `<label for="overdue">見直し期限を過ぎたもの</label>`,
		"<th scope=\"col\">次回見直し日</th>", "特定個人情報", "マイナンバー利用事務系")
	next := between(body, `<p class="pager"><a href="`, `"`)
	if next == "" {
		t.Fatal("no link to the next page")
	}
	body, more := list(strings.TrimPrefix(strings.ReplaceAll(next, "&amp;", "&"), "/assets?"))
	if len(more) != 6 || strings.Contains(body, "次の50件") {
		t.Errorf("second page: %v", more)
	}
	for _, n := range more {
		for _, m := range rows {
			if n == m {
				t.Errorf("%s on both pages", n)
			}
		}
	}

	// A two-character word finds it in names and descriptions; a longer word narrows.
	body, rows = list("q=" + url.QueryEscape("住民"))
	if assetCount(body) != "該当 3 件" || strings.Join(rows, ",") != "住民基本台帳,個人住民税課税台帳,納税通知書控え" {
		t.Errorf("search 住民: %s %v", assetCount(body), rows)
	}
	if !strings.Contains(body, `value="住民"`) || !strings.Contains(body, "名称・概要: 住民") {
		t.Error("the search is not kept in the form and the caption")
	}
	_, rows = list("q=" + url.QueryEscape("住民税課税"))
	if strings.Join(rows, ",") != "個人住民税課税台帳" {
		t.Errorf("search 住民税課税: %v", rows)
	}
	_, rows = list("q=" + url.QueryEscape("特別徴収"))
	if strings.Join(rows, ",") != "個人住民税課税台帳" {
		t.Errorf("search in the description: %v", rows)
	}

	// Filters.
	for query, want := range map[string]string{
		"unit=" + itoa(residents.ID):  "住民基本台帳",
		"zone=MYNUMBER&sort=name":     "住民基本台帳,個人住民税課税台帳",
		"c=LGC3B&my_number=1":         "個人住民税課税台帳",
		"personal=1&sort=name":        "住民基本台帳,個人住民税課税台帳",
		"flagged=1":                   "固定資産課税台帳",
		"overdue=1":                   "納税通知書控え",
		"i=LGI2&unit=" + itoa(tax.ID): "固定資産課税台帳",
		"status=stored":               "",
		"q=" + url.QueryEscape("台帳") + "&sort=review_due": "住民基本台帳,個人住民税課税台帳,固定資産課税台帳",
	} {
		body, rows := list(query)
		if strings.Join(rows, ",") != want {
			t.Errorf("%s: %v, want %s", query, rows, want)
		}
		if want := fmt.Sprintf("該当 %d 件", len(rows)); assetCount(body) != want {
			t.Errorf("%s: count %q, want %q", query, assetCount(body), want)
		}
	}
	// Sorted by review date, the earliest comes first; overdue is said in words, not by colour.
	body, rows = list("sort=review_due")
	if rows[0] != "納税通知書控え" {
		t.Errorf("by review date: %v", rows[:3])
	}
	row := between(body, "納税通知書控え", "</tr>")
	orgWant(t, "overdue row", row, "2026年3月31日", "見直し期限超過")
	body, _ = list("flagged=1")
	orgWant(t, "flagged row", between(body, "固定資産課税台帳", "</tr>"), "要確認 (V-A6)")
	_, rows = list("sort=name")
	if rows[0] != "会議資料01" {
		t.Errorf("by name: %v", rows[:3])
	}
}

// A staff member sees their unit's assets only: another unit's asset is 404, exactly as a missing
// one, and absent from the list. The CISO sees every asset but registers and edits none (403).
func TestAssetScope(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	residents := e.orgUnit(t, "120", "住民課", isms.UnitSection, 0)
	own := e.createAsset(t, assetInput("課税資料", tax.ID))
	other := e.createAsset(t, assetInput("住民票の写し交付記録", residents.ID))
	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, tax.ID)

	if res, body := get(t, staff, e.srv.URL+"/assets/"+itoa(own.ID)); res.StatusCode != http.StatusOK || !strings.Contains(body, "課税資料") {
		t.Errorf("own asset: %d", res.StatusCode)
	}
	_, missing := get(t, staff, e.srv.URL+"/assets/999999")
	for _, p := range []string{"", "/edit", "/label"} {
		res, body := get(t, staff, e.srv.URL+"/assets/"+itoa(other.ID)+p)
		if res.StatusCode != http.StatusNotFound || strings.Contains(body, "住民票") {
			t.Errorf("another unit's asset%s: %d", p, res.StatusCode)
		}
		if p == "" && strings.ReplaceAll(body, itoa(other.ID), "999999") != missing {
			t.Error("another unit's asset answers differently from a missing one")
		}
	}
	res, _ := post(t, staff, e.srv.URL+"/assets/"+itoa(other.ID), assetForm("書換え", residents.ID, other.Version), nil)
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("edit another unit's asset: %d", res.StatusCode)
	}
	_, body := get(t, staff, e.srv.URL+"/assets")
	if rows := assetRows(body); strings.Join(rows, ",") != "課税資料" {
		t.Errorf("staff's list: %v", rows)
	}
	_, body = get(t, staff, e.srv.URL+"/assets?unit="+itoa(residents.ID))
	if rows := assetRows(body); len(rows) != 0 {
		t.Errorf("staff's list of another unit: %v", rows)
	}
	orgNot(t, "staff's unit filter", between(body, `id="unit"`, "</select>"), "住民課")
	// Staff register for their own unit: it is chosen, and the only one offered.
	_, body = get(t, staff, e.srv.URL+"/assets/new")
	units := between(body, `<select id="unit_id"`, "</select>")
	orgWant(t, "staff's unit choice", units, `<option value="`+itoa(tax.ID)+`" selected>110 税務課</option>`)
	orgNot(t, "staff's unit choice", units, "住民課")
	res, _ = post(t, staff, e.srv.URL+"/assets", assetForm("他課の資産", residents.ID, 0), nil)
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("staff register for another unit: %d", res.StatusCode)
	}

	ciso, _ := e.loginAs(t, "ciso", isms.RoleCISO, 0)
	_, body = get(t, ciso, e.srv.URL+"/assets")
	if rows := assetRows(body); len(rows) != 2 {
		t.Errorf("CISO's list: %v", rows)
	}
	orgNot(t, "CISO's list", body, `href="/assets/new"`)
	res, body = get(t, ciso, e.srv.URL+"/assets/"+itoa(other.ID))
	if res.StatusCode != http.StatusOK {
		t.Errorf("CISO, an asset: %d", res.StatusCode)
	}
	orgNot(t, "CISO's asset page", body, "/assets/"+itoa(other.ID)+"/edit")
	for _, p := range []string{"/assets/new", "/assets/" + itoa(other.ID) + "/edit"} {
		if res, _ := get(t, ciso, e.srv.URL+p); res.StatusCode != http.StatusForbidden {
			t.Errorf("CISO GET %s: %d", p, res.StatusCode)
		}
	}
	for _, p := range []string{"/assets", "/assets/" + itoa(other.ID)} {
		if res, _ := post(t, ciso, e.srv.URL+p, assetForm("CISOの登録", residents.ID, other.Version), nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("CISO POST %s: %d", p, res.StatusCode)
		}
	}
}

// Staff register an asset through the form. A save that breaks a rule is refused with the rule's
// message beside its field and everything typed kept; a save that only warns is kept, flagged,
// and the asset's page says what to check.
func TestAssetFormRulesAndWarnings(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	manager := e.orgPerson(t, "管理 花子", "201", tax.ID)
	e.orgAssign(t, manager.ID, isms.RoleCodeISM, tax.ID, false)
	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, tax.ID)

	res, body := get(t, staff, e.srv.URL+"/assets/new")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("new asset form: %d", res.StatusCode)
	}
	orgWant(t, "new asset form", body, "<h1>情報資産の登録", `<legend>機密性</legend>`,
		`<input type="radio" id="confidentiality-LGC3A" name="confidentiality" value="LGC3A" required aria-describedby="confidentiality-LGC3A-desc">`,
		`<label for="confidentiality-LGC3A">自治体機密性3A</label>`,
		`id="confidentiality-LGC3A-desc">「行政文書の管理に関するガイドライン」に定める秘密文書に相当する機密性を要する情報資産</p>`,
		`id="integrity-LGI2-desc">行政事務で取り扱う情報資産のうち、改ざん、誤びゅう又は破損により`,
		`<label for="zone">配置ネットワーク (三層の区分)</label>`, `value="2026-11-25"`, `value="2027-03-31"`,
		`<label for="restriction-NO_COPY">`, `<label for="contains_my_number">特定個人情報 (マイナンバー) を含む</label>`)

	// My Number data in the LGWAN zone at 自治体機密性2: refused, each rule beside its field.
	bad := assetForm("個人住民税特別徴収台帳", tax.ID, 0)
	bad.Set("contains_my_number", "1")
	bad.Set("description", "事業所ごとの特別徴収額")
	bad.Set("data_subjects", "３２００")
	bad.Add("restriction", "NO_TAKEOUT")
	res, body = post(t, staff, e.srv.URL+"/assets", bad, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("My Number data in LGWAN: %d", res.StatusCode)
	}
	if got := fieldError(body, "zone"); got != "特定個人情報（マイナンバー）を含む情報資産は、マイナンバー利用事務系に配置してください。" {
		t.Errorf("beside the zone: %q", got)
	}
	if got := fieldError(body, "confidentiality"); !strings.Contains(got, "3B") {
		t.Errorf("beside confidentiality: %q", got)
	}
	orgWant(t, "refused form", body, "入力内容に誤りがあります", `value="個人住民税特別徴収台帳"`, ">事業所ごとの特別徴収額</textarea>",
		`value="３２００"`, `name="contains_my_number" value="1" checked`, `value="LGC2" checked`,
		`<select id="zone" name="zone" aria-invalid="true" aria-describedby="zone-error">`,
		`name="restriction" value="NO_TAKEOUT" checked`)
	if _, total, _, _, _ := e.db.FindAssets(context.Background(), system, isms.AssetFilter{}); total != 0 {
		t.Errorf("a refused form saved %d assets", total)
	}

	// Fixed: the マイナンバー利用事務系 at 3B. 完全性2 without a backup method saves, flagged.
	good := assetForm("個人住民税特別徴収台帳", tax.ID, 0)
	good.Set("contains_my_number", "1")
	good.Set("zone", "MYNUMBER")
	good.Set("confidentiality", "LGC3B")
	good.Set("integrity", "LGI2")
	good.Set("data_subjects", "3200")
	good.Del("restriction")
	good.Del("default_shown")
	id := assetSave(t, e, staff, "/assets", good)
	_, body = get(t, staff, e.srv.URL+"/assets/"+itoa(id))
	orgWant(t, "asset saved with a warning", body, "保存しました。要確認の項目があります。", "この情報資産には要確認の項目があります。",
		`data-rule="V-A6"`, "完全性2の情報資産には、バックアップの方法を記入してください。", "要確認 (V-A6)",
		"自治体機密性3B", "漏えい等が生じた際に、個人の権利利益の侵害の度合いが大きく", "マイナンバー利用事務系",
		"約 3200 人", "管理 花子", "試験 tanaka", "2026年11月25日", "2027年3月31日", "情報資産の登録")
	// The defaults of 3B and 完全性2 apply though the form showed those of 自治体機密性2.
	restrictions := between(body, `data-testid="restrictions">`, "</ul>")
	orgWant(t, "restrictions", restrictions, "支給端末以外での作業禁止", "バックアップ必須", "電子署名付与")

	// The list's 要確認 filter and the home page's panel find it.
	_, body = get(t, staff, e.srv.URL+"/assets?flagged=1")
	if rows := assetRows(body); strings.Join(rows, ",") != "個人住民税特別徴収台帳" {
		t.Errorf("flagged: %v", rows)
	}
	_, body = get(t, staff, e.srv.URL+"/")
	if got := strings.TrimSpace(between(body, `data-testid="flagged-assets">`, "</p>")); got != "1 件" {
		t.Errorf("home panel: %q", got)
	}
	orgWant(t, "home", body, "要確認の情報資産", `<a href="/assets?flagged=1">`)

	// Entering the backup method clears the flag; the page and the home panel say so.
	_, form := get(t, staff, e.srv.URL+"/assets/"+itoa(id)+"/edit")
	orgWant(t, "edit form", form, `value="個人住民税特別徴収台帳"`, `value="LGC3B" checked`, `value="3200"`, `<option value="MYNUMBER" selected>`)
	good.Set("backup_policy", "日次で庁内バックアップ装置へ")
	good.Set("version", between(form, `name="version" value="`, `"`))
	assetSave(t, e, staff, "/assets/"+itoa(id), good)
	_, body = get(t, staff, e.srv.URL+"/assets/"+itoa(id))
	orgWant(t, "fixed asset", body, "情報資産の内容を更新しました。", "規則に反する項目はありません。", "情報資産の変更")
	_, body = get(t, staff, e.srv.URL+"/")
	orgWant(t, "home", body, "要確認の情報資産はありません。")
}

// A default restriction is removed only with a reason, and then shows struck through with it;
// another restriction can be added. The label carries the restrictions in force.
func TestAssetRestrictionsAndLabel(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, tax.ID)

	form := assetForm("滞納整理票", tax.ID, 0)
	form.Set("restriction", "COPY_MIN") // ENCRYPT, DIST_APPROVAL, SECURE_DISPOSAL unticked
	form.Add("restriction", "SECURE_DISPOSAL")
	form.Add("restriction", "NO_TAKEOUT")
	form.Set("removed_DIST_APPROVAL", "庁外に配付しない")
	res, body := post(t, staff, e.srv.URL+"/assets", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("removal without a reason: %d", res.StatusCode)
	}
	if got := fieldError(body, "removed_ENCRYPT"); got == "" {
		t.Error("no message beside the reason for removing 暗号化必須")
	}
	orgWant(t, "refused removal", body, `value="庁外に配付しない"`, `name="restriction" value="NO_TAKEOUT" checked`)

	form.Set("removed_ENCRYPT", "紙のみで送信しない")
	id := assetSave(t, e, staff, "/assets", form)
	_, body = get(t, staff, e.srv.URL+"/assets/"+itoa(id))
	active := between(body, `data-testid="restrictions">`, "</ul>")
	orgWant(t, "restrictions in force", active, "必要以上の複製禁止", "既定", "持出禁止", "追加", "復元不可能な処理による廃棄")
	orgNot(t, "restrictions in force", active, "暗号化必須", "配付要許可")
	removed := between(body, `data-testid="removed-restrictions">`, "</ul>")
	orgWant(t, "removed defaults", removed, "<del>暗号化必須</del>", "理由: 紙のみで送信しない", "<del>配付要許可</del>", "理由: 庁外に配付しない")

	a, err := e.db.FindAsset(context.Background(), system, id)
	if err != nil {
		t.Fatal(err)
	}
	res, body = get(t, staff, e.srv.URL+"/assets/"+itoa(id)+"/label")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("label: %d", res.StatusCode)
	}
	label := between(body, `<article class="asset-label"`, "</article>")
	orgWant(t, "label", label, a.Number, "滞納整理票", "税務課", "自治体機密性2", "完全性1", "可用性1",
		"<li>必要以上の複製禁止</li>", "<li>持出禁止</li>", "<li>復元不可能な処理による廃棄</li>")
	orgNot(t, "label", label, "暗号化必須", "配付要許可")
	orgWant(t, "label page", body, "<title>分類の表示 "+a.Number, `<link rel="stylesheet" href="/static/print.css" media="print">`)
}

// Two people edit the same asset; the second save gets 409 with the conflict message and what
// they typed, and the first change stays.
func TestAssetConflict(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	a := e.createAsset(t, assetInput("課税資料", tax.ID))
	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, tax.ID)
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)

	_, first := get(t, staff, e.srv.URL+"/assets/"+itoa(a.ID)+"/edit")
	_, second := get(t, office, e.srv.URL+"/assets/"+itoa(a.ID)+"/edit")
	v1, v2 := between(first, `name="version" value="`, `"`), between(second, `name="version" value="`, `"`)
	if v1 == "" || v1 != v2 {
		t.Fatalf("versions %q and %q", v1, v2)
	}
	assetSave(t, e, staff, "/assets/"+itoa(a.ID), assetForm("課税資料 (職員の変更)", tax.ID, a.Version))
	res, body := post(t, office, e.srv.URL+"/assets/"+itoa(a.ID), assetForm("課税資料 (統括部門の変更)", tax.ID, a.Version), nil)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("second save: %d", res.StatusCode)
	}
	orgWant(t, "conflict page", body, "このデータは他の人が先に更新しました。", `value="課税資料 (統括部門の変更)"`,
		`<a href="/assets/`+itoa(a.ID)+`/edit">最新の内容を表示</a>`)
	_, body = get(t, office, e.srv.URL+"/assets/"+itoa(a.ID))
	orgWant(t, "asset after both saves", body, "課税資料 (職員の変更)")
	orgNot(t, "asset after both saves", body, "統括部門の変更")
}

// A unit's page shows how many assets it has, the first ten, and links to all of them.
func TestAssetUnitSection(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	empty := e.orgUnit(t, "120", "住民課", isms.UnitSection, 0)
	for i := 1; i <= 12; i++ {
		e.createAsset(t, assetInput(fmt.Sprintf("税務資料%02d", i), tax.ID))
	}
	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, tax.ID)
	_, body := get(t, staff, e.srv.URL+"/units/"+itoa(tax.ID))
	section := between(body, `<section aria-labelledby="assets-h">`, "</section>")
	orgWant(t, "unit's assets", section, "この組織の情報資産: 12 件", "最初の 10 件", "税務資料01", "税務資料10",
		`<a href="/assets?unit=`+itoa(tax.ID)+`">この組織の情報資産をすべて表示</a>`, `href="/assets/new?unit=`+itoa(tax.ID)+`"`)
	orgNot(t, "unit's assets", section, "税務資料11", "まだ")

	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	_, body = get(t, office, e.srv.URL+"/units/"+itoa(empty.ID))
	orgWant(t, "a unit without assets", between(body, `<section aria-labelledby="assets-h">`, "</section>"),
		"この組織の情報資産は登録されていません。")
	auditor, _ := e.loginAs(t, "auditor", isms.RoleAuditor, 0)
	_, body = get(t, auditor, e.srv.URL+"/units/"+itoa(tax.ID))
	orgNot(t, "the auditor's unit page", body, `href="/assets/new`)
}

// A storage medium holds an asset whose confidentiality is raised after it was recorded: the
// medium now breaks V-A4. The CISO permits a 例外措置; the error becomes an exception with who
// permitted it and until when. Others see no exception form.
func TestAssetExceptionByCISO(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	content := e.createAsset(t, assetInput("課税データ抽出", tax.ID))
	medium := assetInput("課税データ保存用USBメモリ", tax.ID)
	medium.Type, medium.ContentIDs = isms.AssetTypeMedia, []int64{content.ID}
	m := e.createAsset(t, medium)
	raised := assetInput("課税データ抽出", tax.ID)
	raised.C, raised.Version = "LGC3C", content.Version
	if _, _, err := e.db.UpdateAsset(context.Background(), system, content.ID, raised); err != nil {
		t.Fatal(err)
	}

	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, tax.ID)
	_, body := get(t, staff, e.srv.URL+"/assets/"+itoa(m.ID))
	finding := between(body, `data-rule="V-A4">`, "</li>")
	orgWant(t, "the medium's finding", finding, "V-A4", "要是正", "電磁的記録媒体の分類は、記録している情報資産のうち最も高い分類以上にしてください。")
	orgWant(t, "the medium's contents", between(body, `<h2 id="contents-h">`, "</section>"), "課税データ抽出", "自治体機密性3C")
	orgNot(t, "staff's view", body, `action="/assets/`+itoa(m.ID)+`/exceptions"`)
	exception := url.Values{"rule_code": {"V-A4"}, "reason": {"更新作業中のため"}, "measures": {"施錠保管庫で管理"}, "valid_to": {"2027-03-31"}}
	if res, _ := post(t, staff, e.srv.URL+"/assets/"+itoa(m.ID)+"/exceptions", exception, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff record an exception: %d", res.StatusCode)
	}

	ciso, _ := e.loginAs(t, "ciso", isms.RoleCISO, 0)
	_, body = get(t, ciso, e.srv.URL+"/assets/"+itoa(m.ID))
	orgWant(t, "CISO's view", body, "例外措置の許可", `<option value="V-A4">V-A4 電磁的記録媒体の分類</option>`, `<label for="measures">代替措置</label>`)
	res, body := post(t, ciso, e.srv.URL+"/assets/"+itoa(m.ID)+"/exceptions",
		url.Values{"rule_code": {"V-A4"}, "reason": {""}, "measures": {"施錠保管庫で管理"}, "valid_to": {"2026-11-01"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "reason") != "入力してください。" || fieldError(body, "valid_to") == "" {
		t.Errorf("exception without a reason, ended: %d, %q, %q", res.StatusCode, fieldError(body, "reason"), fieldError(body, "valid_to"))
	}
	orgWant(t, "refused exception", body, ">施錠保管庫で管理</textarea>", `value="2026-11-01"`)
	res, _ = post(t, ciso, e.srv.URL+"/assets/"+itoa(m.ID)+"/exceptions", exception, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record the exception: %d", res.StatusCode)
	}
	_, body = get(t, staff, e.srv.URL+"/assets/"+itoa(m.ID))
	finding = between(body, `data-rule="V-A4">`, "</li>")
	orgWant(t, "the excepted finding", finding, "例外措置", "試験 ciso が 2027年3月31日 まで例外措置を許可しています。", "更新作業中のため", "施錠保管庫で管理")
	orgNot(t, "the excepted finding", finding, "要是正")
	_, body = get(t, ciso, e.srv.URL+"/assets/"+itoa(m.ID))
	orgWant(t, "CISO after the exception", body, "例外措置を記録しました。")
	orgNot(t, "CISO after the exception", body, `action="/assets/`+itoa(m.ID)+`/exceptions"`)
}

// A cross-origin POST to each asset form is refused before it acts.
func TestAssetFormsRefuseCrossOriginPosts(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	a := e.createAsset(t, assetInput("課税資料", tax.ID))
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	ciso, _ := e.loginAs(t, "ciso", isms.RoleCISO, 0)
	for _, site := range []string{"cross-site", "same-site"} {
		for _, rt := range []struct {
			c    *http.Client
			path string
			form url.Values
		}{
			{office, "/assets", assetForm("新しい資産", tax.ID, 0)},
			{office, "/assets/" + itoa(a.ID), assetForm("書換え", tax.ID, a.Version)},
			{ciso, "/assets/" + itoa(a.ID) + "/exceptions", url.Values{"rule_code": {"V-A6"}, "reason": {"x"}, "valid_to": {"2027-03-31"}}},
		} {
			if res, _ := post(t, rt.c, e.srv.URL+rt.path, rt.form, map[string]string{"Sec-Fetch-Site": site}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST %s: %d", site, rt.path, res.StatusCode)
			}
		}
	}
	list, total, _, _, err := e.db.FindAssets(context.Background(), system, isms.AssetFilter{})
	if err != nil || total != 1 || list[0].Name != "課税資料" || list[0].Version != a.Version {
		t.Errorf("assets after refused requests: %d %+v %v", total, list, err)
	}
}

// Every asset page speaks English to a reader who chose it: labels, the levels' definitions and
// the rules' messages come from the catalogue, with no key left showing.
func TestAssetPagesInEnglish(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	in := assetInput("課税資料", tax.ID)
	in.I = "LGI2" // flagged V-A6
	a := e.createAsset(t, in)
	staff, _ := e.loginAs(t, "tanaka", isms.RoleStaff, tax.ID)
	if res, _ := post(t, staff, e.srv.URL+"/lang", url.Values{"lang": {"en"}, "next": {"/assets"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch to English: %d", res.StatusCode)
	}
	keys := regexp.MustCompile(`>[^<]*\b(asset|zone|rule|home|unit)\.[a-z_.A-Z0-9-]+[^<]*<`)
	for path, want := range map[string][]string{
		"/assets":                          {"Information asset register", "1 matching", "Municipal confidentiality 2", "LGWAN-connected zone", "To be checked (V-A6)"},
		"/assets/" + itoa(a.ID):            {"Register entry", "For integrity 2, enter the backup method.", "Handling restrictions", "Change history"},
		"/assets/" + itoa(a.ID) + "/edit":  {"Edit information asset", "Information assets not intended for immediate publication", "Reason for removing"},
		"/assets/" + itoa(a.ID) + "/label": {"Classification label", "Integrity 2"},
		"/units/" + itoa(tax.ID):           {"Information assets of this unit: 1"},
		"/":                                {"Information assets to check"},
	} {
		res, body := get(t, staff, e.srv.URL+path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, res.StatusCode)
			continue
		}
		orgWant(t, path, body, want...)
		if m := keys.FindString(between(body, "<main", "</main>")); m != "" {
			t.Errorf("%s shows a catalogue key: %s", path, m)
		}
	}
}
