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

// inspSheets finds the sheets of a campaign as the portal itself sees them, by kind and unit.
func (e *testEnv) inspSheets(t *testing.T, campaignID int64) map[string]isms.Sheet {
	t.Helper()
	ctx := context.Background()
	list, err := e.db.FindCampaignSheets(ctx, system, campaignID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]isms.Sheet{}
	for _, s := range list {
		full, err := e.db.FindSheet(ctx, system, campaignID, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[s.UnitName+"/"+string(s.Respondent)] = full
	}
	return out
}

// sheetForm answers every item of the sheet with answer, keeping the sheet's version.
func sheetForm(s isms.Sheet, version, answer string) url.Values {
	form := url.Values{"version": {version}}
	for _, a := range s.Answers {
		id := itoa(a.ItemID)
		form.Set("answer-"+id, answer)
		form.Set("comment-"+id, "")
		form.Set("measure-"+id, "")
		form.Set("due-"+id, "")
	}
	return form
}

// The year's self-inspection as a town runs it: the security office prepares and opens it for
// 税務課; 加藤 (its 管理者) finds his sheets in his tasks and is refused 一部実施 without a measure
// (the answer kept, the message beside the field); 鈴木 of 住民生活課 does not find 税務課's sheet;
// 佐藤 (staff) cannot submit half a sheet, then submits it whole; the office reads the progress and
// the compliance rate, prints the report and records it sent to the committee, which staff may
// not read; an edit of an item of the checklist in use makes its next version.
func TestInspectionCampaignThroughThePages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	general := e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	life := e.orgUnit(t, "120", "住民生活課", isms.UnitSection, 0)
	kato := e.orgPerson(t, "加藤 花子", "0123-45-1102", tax.ID)
	sato := e.orgPerson(t, "佐藤 一郎", "0123-45-1101", tax.ID)
	suzuki := e.orgPerson(t, "鈴木 三郎", "0123-45-1201", life.ID)
	e.orgAssign(t, kato.ID, isms.RoleCodeISM, tax.ID, false)
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, general.ID)
	katoC := e.orgSignInAsPerson(t, "kato", kato)
	satoC := e.orgSignInAsPerson(t, "sato", sato)
	suzukiC := e.orgSignInAsPerson(t, "suzuki", suzuki)
	lists, err := e.db.FindChecklists(ctx, system)
	if err != nil || len(lists) != 1 {
		t.Fatalf("seeded checklist: %v", err)
	}
	checklist := lists[0]

	// Prepared for 税務課 and opened.
	res, body := get(t, office, e.srv.URL+"/inspections/new")
	orgWant(t, "new campaign form", body, `<option value="`+itoa(checklist.ID)+`" selected>自己点検チェックリスト（令和8年度） 第1版</option>`,
		`name="starts_on" value="2026-07-01"`, `<label for="unit-`+itoa(tax.ID)+`">110 税務課</label>`)
	res, _ = post(t, office, e.srv.URL+"/inspections", url.Values{"name": {"令和8年度 自己点検"}, "fiscal_year": {"2026"},
		"checklist_id": {itoa(checklist.ID)}, "starts_on": {"2026-10-01"}, "ends_on": {"2026-11-30"}, "unit": {itoa(tax.ID)}}, nil)
	m := regexp.MustCompile(`^/inspections/(\d+)$`).FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create campaign: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	campaign := m[0]
	_, body = get(t, office, e.srv.URL+campaign)
	res, body = post(t, office, e.srv.URL+campaign+"/open", url.Values{"version": {formVersion(body)}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("open: %d %s", res.StatusCode, visible(between(body, "<main", "</main>")))
	}
	campaignID := int64(0)
	for _, c := range campaign[len("/inspections/"):] {
		campaignID = campaignID*10 + int64(c-'0')
	}
	sheets := e.inspSheets(t, campaignID)
	manager, staff := sheets["税務課/ISM_SECTION"], sheets["税務課/staff"]
	if len(sheets) != 2 || len(manager.Answers) != 10 || len(staff.Answers) != 12 {
		t.Fatalf("sheets: %d", len(sheets))
	}
	managerURL := e.srv.URL + campaign + "/sheets/" + itoa(manager.ID)
	staffURL := e.srv.URL + campaign + "/sheets/" + itoa(staff.ID)

	// 加藤's tasks: both sheets of 税務課, due on the last day; the menu leads there.
	_, body = get(t, katoC, e.srv.URL+"/inspections")
	orgWant(t, "the 管理者's top page", body, `<a href="/inspections" aria-current="page">自己点検</a>`,
		`href="`+campaign+`/sheets/`+itoa(manager.ID)+`"`, `href="`+campaign+`/sheets/`+itoa(staff.ID)+`"`, "2026年11月30日", "令和8年度 自己点検")

	// 一部実施 without a measure: 422, the answer and the comment kept, the message beside the measure.
	_, body = get(t, katoC, managerURL)
	first := itoa(manager.Answers[0].ItemID)
	orgWant(t, "the answer form", body, "税務課（管理者・責任者用）", `id="answer-`+first+`-partial" name="answer-`+first+`" value="partial"`,
		"所管する情報資産が情報資産管理台帳に登録され")
	form := url.Values{"version": {formVersion(body)}, "answer-" + first: {"partial"}, "comment-" + first: {"台帳の見直しが一部未了"},
		"measure-" + first: {""}, "due-" + first: {""}}
	res, body = post(t, katoC, managerURL, form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("partial without a measure: %d", res.StatusCode)
	}
	if msg := fieldMessage(body, "measure-"+first); msg != "「一部実施」「未実施」の場合は改善策を入力してください。" {
		t.Errorf("message beside the measure: %q", msg)
	}
	orgWant(t, "the refused form", body, `value="partial" checked`, "台帳の見直しが一部未了", `aria-describedby="due-`+first+`-error"`)

	// 鈴木 of 住民生活課 does not find 税務課's sheet, nor its campaign's progress.
	if res, _ := get(t, suzukiC, staffURL); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff of another unit: %d", res.StatusCode)
	}
	_, body = get(t, suzukiC, e.srv.URL+campaign)
	orgNot(t, "the campaign for another unit's staff", body, "税務課（職員用）")

	// 佐藤 cannot submit half a sheet; the whole sheet, submitted, is read-only.
	_, body = get(t, satoC, staffURL)
	half := sheetForm(staff, formVersion(body), "compliant")
	half.Set("answer-"+itoa(staff.Answers[11].ItemID), "")
	half.Set("submit", "1")
	res, body = post(t, satoC, staffURL, half, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMessage(body, "submit") != "未回答の項目があるため提出できません。全ての項目に回答してください。" {
		t.Errorf("half a sheet submitted: %d %q", res.StatusCode, fieldMessage(body, "submit"))
	}
	whole := sheetForm(staff, half.Get("version"), "compliant")
	whole.Set("answer-"+itoa(staff.Answers[3].ItemID), "not_applicable")
	whole.Set("answer-"+itoa(staff.Answers[4].ItemID), "not_compliant")
	whole.Set("measure-"+itoa(staff.Answers[4].ItemID), "私物USBの接続禁止を課内で再周知する")
	whole.Set("due-"+itoa(staff.Answers[4].ItemID), "2026-12-25")
	whole.Set("submit", "1")
	if res, _ = post(t, satoC, staffURL, whole, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	_, body = get(t, satoC, staffURL)
	orgWant(t, "the submitted sheet", body, "点検表を提出しました。", "提出済み", "（提出者: 試験 sato）", "私物USBの接続禁止を課内で再周知する", "実施済みにする")
	orgNot(t, "the submitted sheet", body, `name="submit"`)

	// The office reads the progress and the rate: 10 of 11 applicable answers in place.
	_, body = get(t, office, e.srv.URL+campaign)
	orgWant(t, "the campaign's page", body, "12 / 12", "0 / 10", "提出済み 1 / 2 点検表、実施率 90.9%", "未提出")
	if res, _ := get(t, satoC, e.srv.URL+campaign+"/report"); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff reading the report: %d", res.StatusCode)
	}
	_, body = get(t, office, e.srv.URL+campaign+"/report")
	orgWant(t, "the report", body, "自己点検結果報告（令和8年度 自己点検）", "情報セキュリティ委員会 御中", "未報告", `class="no-print"`)
	res, _ = post(t, office, e.srv.URL+campaign+"/report", url.Values{"version": {formVersion(body)}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report sent: %d", res.StatusCode)
	}
	_, body = get(t, office, e.srv.URL+campaign+"/report")
	orgWant(t, "the report sent", body, "2026年11月25日に報告済み")

	// An edit of the checklist in use makes version 2.
	item := e.srv.URL + "/inspections/checklists/" + itoa(checklist.ID) + "/items/" + first
	if res, _ := get(t, katoC, item); res.StatusCode != http.StatusForbidden {
		t.Errorf("the 管理者 editing the checklist: %d", res.StatusCode)
	}
	_, body = get(t, office, item)
	orgWant(t, "the item form", body, "この版は使用中のため、変更は新しい版に反映されます。")
	res, _ = post(t, office, item, url.Values{"version": {formVersion(body)}, "number": {"1"}, "text_ja": {"情報資産管理台帳を年度内に見直したか。"},
		"respondent": {"ISM_SECTION"}, "clause_ref": {"対策基準 第3条"}, "sort_order": {"10"}}, nil)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/inspections/checklists/") || strings.HasPrefix(loc, "/inspections/checklists/"+itoa(checklist.ID)+"#") {
		t.Fatalf("item edit: %d to %q", res.StatusCode, loc)
	}
	_, body = get(t, office, e.srv.URL+loc)
	orgWant(t, "the new version", body, "使用中の版を守るため、新しい版を作成して変更しました。", "自己点検チェックリスト（令和8年度） 第2版",
		"情報資産管理台帳を年度内に見直したか。", "準備中")
}
