package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// rotTown is 税務課, 住民生活課 and 総務課, with 山田 in 税務課 as its 情報セキュリティ管理者 and 佐藤 in
// 住民生活課, and a security office member signed in.
type rotTown struct {
	tax, life, general isms.Unit
	yamada, sato       isms.Person
	yamadaISM          isms.Assignment
	office             *http.Client
}

func newRotTown(t *testing.T, e *testEnv) rotTown {
	t.Helper()
	ctx := context.Background()
	var tw rotTown
	tw.tax, tw.life, tw.general = e.createUnit(t, "111", "税務課"), e.createUnit(t, "120", "住民生活課"), e.createUnit(t, "112", "総務課")
	from := time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)
	person := func(name string, u isms.Unit) isms.Person {
		p, err := e.db.CreatePerson(ctx, system, isms.PersonInput{Name: name, Employment: isms.EmploymentRegular, ValidFrom: &from, UnitID: u.ID})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tw.yamada, tw.sato = person("山田 太郎", tw.tax), person("佐藤 花子", tw.life)
	since := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	var err error
	tw.yamadaISM, err = e.db.CreateAssignment(ctx, system, isms.AssignmentInput{PersonID: tw.yamada.ID, RoleCode: isms.RoleCodeISM,
		UnitID: tw.tax.ID, ValidFrom: &since})
	if err != nil {
		t.Fatal(err)
	}
	tw.office, _ = e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	return tw
}

// createRotation creates a rotation through the form and returns its sheet's path.
func (tw rotTown) createRotation(t *testing.T, e *testEnv, title, date string) string {
	t.Helper()
	res, _ := post(t, tw.office, e.srv.URL+"/rotations", url.Values{"title": {title}, "effective_date": {date}}, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/rotations/") {
		t.Fatalf("create rotation: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	return res.Header.Get("Location")
}

func (tw rotTown) addLine(t *testing.T, e *testEnv, sheet string, form url.Values) {
	t.Helper()
	res, body := post(t, tw.office, e.srv.URL+sheet+"/lines", form, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add line %v: %d %s", form, res.StatusCode, between(body, `class="field-error"`, "</p>"))
	}
}

func rotWant(t *testing.T, what, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s: %q not shown", what, s)
		}
	}
}

func rotHolders(t *testing.T, e *testEnv, unit int64, on time.Time) []string {
	t.Helper()
	list, err := e.db.FindAssignments(context.Background(), isms.AssignmentFilter{Day: on, UnitID: unit, RoleCode: isms.RoleCodeISM})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range list {
		names = append(names, a.PersonName)
	}
	return names
}

// The security office prepares the April rotation on its sheet and applies it at once.
func TestRotationSheetPreparedAndApplied(t *testing.T) {
	e := newEnv(t)
	tw := newRotTown(t, e)

	// The new form proposes the coming 1 April; a date that is not one is refused beside its field.
	_, body := get(t, tw.office, e.srv.URL+"/rotations/new")
	rotWant(t, "new form", body, `value="2027-04-01"`, `<label for="effective_date">異動日</label>`)
	res, body := post(t, tw.office, e.srv.URL+"/rotations", url.Values{"title": {"令和9年4月1日付 定期人事異動"}, "effective_date": {"2027-13-01"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad date: %d", res.StatusCode)
	}
	rotWant(t, "bad date", body, "年-月-日で入力してください", `value="2027-13-01"`, `value="令和9年4月1日付 定期人事異動"`, `aria-invalid="true"`)

	sheet := tw.createRotation(t, e, "令和9年4月1日付 定期人事異動", "2027-04-01")
	res, body = get(t, tw.office, e.srv.URL+sheet)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sheet: %d", res.StatusCode)
	}
	rotWant(t, "empty sheet", body, "人事異動を作成しました", "異動表", "令和9年4月1日付 定期人事異動", "2027年4月1日",
		"異動の行はありません", "役割の引継ぎの行はありません",
		// The choices: people in service with their unit the day before, open units, roles, the roles held.
		">山田 太郎 (税務課)</option>", ">112 総務課</option>", ">情報セキュリティ管理者</option>",
		`<optgroup label="山田 太郎">`, "情報セキュリティ管理者 — 税務課",
		"すべての行を一度に組織へ反映します", "2027年3月31日")

	tw.addLine(t, e, sheet, url.Values{"kind": {"end_role"}, "assignment_id": {itoa(tw.yamadaISM.ID)}})
	tw.addLine(t, e, sheet, url.Values{"kind": {"move"}, "person_id": {itoa(tw.yamada.ID)}, "unit_id": {itoa(tw.general.ID)}})
	tw.addLine(t, e, sheet, url.Values{"kind": {"start_role"}, "person_id": {itoa(tw.sato.ID)}, "role_code": {"ISM_SECTION"},
		"unit_id": {itoa(tw.tax.ID)}, "note": {"課長昇任"}})
	res, _ = post(t, tw.office, e.srv.URL+sheet+"/lines", url.Values{"kind": {"move"}, "person_id": {itoa(tw.sato.ID)}, "unit_id": {itoa(tw.tax.ID)}}, nil)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != sheet+"#moves" {
		t.Errorf("add move: %d to %q", res.StatusCode, loc)
	}

	// A second move of the same person is refused beside the person field of the move form, which
	// keeps what was chosen.
	res, body = post(t, tw.office, e.srv.URL+sheet+"/lines", url.Values{"kind": {"move"}, "person_id": {itoa(tw.sato.ID)}, "unit_id": {itoa(tw.general.ID)}, "note": {"再入力"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("duplicate move: %d", res.StatusCode)
	}
	rotWant(t, "duplicate move", body, `id="move-person_id-error">この職員の異動は既に入力されています。`,
		`aria-describedby="move-person_id-error"`, `value="再入力"`)
	// A start without a unit for a role held per unit.
	res, body = post(t, tw.office, e.srv.URL+sheet+"/lines", url.Values{"kind": {"start_role"}, "person_id": {itoa(tw.yamada.ID)}, "role_code": {"SYS_ADMIN"}, "unit_id": {"0"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("start without unit: %d", res.StatusCode)
	}
	rotWant(t, "start without unit", body, `id="start-unit_id-error">所属ごとの役割です。所属を選んでください。`)

	// The heading is edited from the sheet; a stale form is a conflict that keeps what was typed.
	res, body = post(t, tw.office, e.srv.URL+sheet, url.Values{"title": {"古い画面からの件名"}, "effective_date": {"2027-04-01"}, "version": {"1"}}, nil)
	if res.StatusCode != http.StatusConflict {
		t.Errorf("stale heading: %d", res.StatusCode)
	}
	rotWant(t, "stale heading", body, "他の人が先に更新しました", `value="古い画面からの件名"`)
	version := between(body, `id="apply"`, "</section>")
	version = between(version, `name="version" value="`, `"`)
	if res, _ := post(t, tw.office, e.srv.URL+sheet, url.Values{"title": {"令和9年4月1日付 定期人事異動 (案)"}, "effective_date": {"2027-04-01"}, "version": {version}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("heading: %d", res.StatusCode)
	}

	// The sheet: moves with where people come from and go, then the hand-over, numbered.
	_, body = get(t, tw.office, e.srv.URL+sheet)
	moves := between(body, `id="moves-h"`, "</section>")
	handovers := between(body, `id="handovers-h"`, "</section>")
	rotWant(t, "moves", moves, "山田 太郎", "総務課", "佐藤 花子", "住民生活課", "→ ")
	if strings.Index(moves, "山田 太郎") > strings.Index(moves, "佐藤 花子") {
		t.Error("moves out of order")
	}
	rotWant(t, "hand-overs", handovers, ">3</th>", "役割の終了", ">4</th>", "役割の開始", "課長昇任", "4行目を削除")
	if strings.Index(handovers, "役割の終了") > strings.Index(handovers, "役割の開始") {
		t.Error("hand-overs out of order")
	}

	// Roles are named in the reader's language.
	post(t, tw.office, e.srv.URL+"/lang", url.Values{"lang": {"en"}, "next": {sheet}}, nil)
	_, body = get(t, tw.office, e.srv.URL+sheet)
	rotWant(t, "English sheet", body, "Information Security Manager", "Role hand-overs", "Apply")
	post(t, tw.office, e.srv.URL+"/lang", url.Values{"lang": {"ja"}, "next": {sheet}}, nil)

	// Applying needs the confirmation ticked and the sheet as it is.
	version = between(body, `name="version" value="`, `"`)
	res, body = post(t, tw.office, e.srv.URL+sheet+"/apply", url.Values{"version": {version}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("apply without confirmation: %d", res.StatusCode)
	}
	rotWant(t, "apply without confirmation", body, `id="confirm-error"`, "確認欄にチェックを入れてください")
	if res, _ := post(t, tw.office, e.srv.URL+sheet+"/apply", url.Values{"version": {"1"}, "confirm": {"yes"}}, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("apply from a stale sheet: %d", res.StatusCode)
	}
	day := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	if h := rotHolders(t, e, tw.tax.ID, day); !slices.Equal(h, []string{"山田 太郎"}) {
		t.Fatalf("before applying, 税務課's 管理者 on 1 April: %v", h)
	}
	res, _ = post(t, tw.office, e.srv.URL+sheet+"/apply", url.Values{"version": {version}, "confirm": {"yes"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d", res.StatusCode)
	}

	// On 31 March the old organisation holds, on 1 April the new one.
	if h := rotHolders(t, e, tw.tax.ID, day.AddDate(0, 0, -1)); !slices.Equal(h, []string{"山田 太郎"}) {
		t.Errorf("31 March: 税務課's 管理者 %v", h)
	}
	if h := rotHolders(t, e, tw.tax.ID, day); !slices.Equal(h, []string{"佐藤 花子"}) {
		t.Errorf("1 April: 税務課's 管理者 %v", h)
	}
	postings, err := e.db.FindPostings(context.Background(), tw.sato.ID)
	if err != nil || len(postings) != 2 || postings[0].UnitName != "税務課" || postings[1].To == nil || !postings[1].To.Equal(day.AddDate(0, 0, -1)) {
		t.Errorf("佐藤's postings: %+v %v", postings, err)
	}

	// Applied, the sheet is read-only and shows who applied it.
	_, body = get(t, tw.office, e.srv.URL+sheet)
	rotWant(t, "applied sheet", body, "人事異動を適用しました", "適用済み", "変更できません", "試験 office")
	if strings.Contains(body, `action="`+sheet+`/lines"`) || strings.Contains(body, `action="`+sheet+`/apply"`) || strings.Contains(body, "行目を削除") {
		t.Error("the applied sheet still offers changes")
	}
	rotID, _ := strconv.ParseInt(strings.TrimPrefix(sheet, "/rotations/"), 10, 64)
	applied, err := e.db.FindRotation(context.Background(), system, rotID)
	if err != nil || applied.Status != isms.RotationApplied {
		t.Fatalf("applied rotation: %+v %v", applied, err)
	}
	if res, _ := post(t, tw.office, e.srv.URL+sheet+"/apply", url.Values{"version": {itoa(int64(applied.Version))}, "confirm": {"yes"}}, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("applying twice: %d", res.StatusCode)
	}
	res, body = post(t, tw.office, e.srv.URL+sheet+"/lines", url.Values{"kind": {"move"}, "person_id": {itoa(tw.sato.ID)}, "unit_id": {itoa(tw.life.ID)}}, nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "変更できません") {
		t.Errorf("adding to an applied sheet: %d", res.StatusCode)
	}

	// The list shows it, newest date first.
	tw.createRotation(t, e, "令和8年10月1日付 人事異動", "2026-10-01")
	_, body = get(t, tw.office, e.srv.URL+"/rotations")
	rows := between(body, "<tbody>", "</tbody>")
	if i, j := strings.Index(rows, "令和9年4月1日付"), strings.Index(rows, "令和8年10月1日付"); i < 0 || j < 0 || i > j {
		t.Errorf("list order: %q", rows)
	}
	rotWant(t, "list", rows, "適用済み", "作成中")
	rotWant(t, "menu", body, `href="/rotations"`)
}

// Lines that no longer fit the organisation are listed with their numbers, and nothing changes.
func TestRotationApplyListsBadLines(t *testing.T) {
	e := newEnv(t)
	tw := newRotTown(t, e)
	ctx := context.Background()
	planning := e.createUnit(t, "130", "企画課")
	sheet := tw.createRotation(t, e, "令和9年4月1日付 人事異動", "2027-04-01")
	tw.addLine(t, e, sheet, url.Values{"kind": {"move"}, "person_id": {itoa(tw.sato.ID)}, "unit_id": {itoa(tw.tax.ID)}})
	tw.addLine(t, e, sheet, url.Values{"kind": {"move"}, "person_id": {itoa(tw.yamada.ID)}, "unit_id": {itoa(planning.ID)}})
	tw.addLine(t, e, sheet, url.Values{"kind": {"end_role"}, "assignment_id": {itoa(tw.yamadaISM.ID)}})

	// Meanwhile 企画課 is closed on 31 March and 山田's role ended at the end of the year.
	last := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	if _, err := e.db.CloseUnit(ctx, system, planning.ID, isms.UnitClosure{ValidTo: &last, Version: planning.Version}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.EndAssignment(ctx, system, tw.yamadaISM.ID, time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), 0); err != nil {
		t.Fatal(err)
	}

	_, body := get(t, tw.office, e.srv.URL+sheet)
	version := between(body, `name="version" value="`, `"`)
	res, body := post(t, tw.office, e.srv.URL+sheet+"/apply", url.Values{"version": {version}, "confirm": {"yes"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("apply: %d", res.StatusCode)
	}
	list := between(body, `id="apply-errors"`, "</div>")
	rotWant(t, "error list", list, "何も変更されていません", "2行目</a>:", "異動日に存在しない所属です", "3行目</a>:", "既に異動日の前日までに終了しています")
	if strings.Contains(list, "1行目") {
		t.Error("the valid line is listed")
	}
	rotWant(t, "marked lines", body, `class="line-error"`)

	postings, err := e.db.FindPostings(ctx, tw.sato.ID)
	if err != nil || len(postings) != 1 || postings[0].UnitName != "住民生活課" {
		t.Errorf("佐藤 moved by a refused rotation: %+v %v", postings, err)
	}
	_, body = get(t, tw.office, e.srv.URL+sheet)
	rotWant(t, "still a draft", body, "作成中", `action="`+sheet+`/apply"`)
}

// rotationRoutes are every rotation page and form, with a form that would be valid.
func rotationRoutes(sheet string, lineID int64, version string, tw rotTown) []struct {
	method, path string
	form         url.Values
} {
	return []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/rotations", nil},
		{"GET", "/rotations/new", nil},
		{"POST", "/rotations", url.Values{"title": {"臨時異動"}, "effective_date": {"2027-01-01"}}},
		{"GET", sheet, nil},
		{"POST", sheet, url.Values{"title": {"改題"}, "effective_date": {"2027-04-01"}, "version": {version}}},
		{"POST", sheet + "/lines", url.Values{"kind": {"move"}, "person_id": {itoa(tw.sato.ID)}, "unit_id": {itoa(tw.general.ID)}}},
		{"POST", sheet + "/lines/" + itoa(lineID) + "/delete", nil},
		{"POST", sheet + "/apply", url.Values{"version": {version}, "confirm": {"yes"}}},
		{"POST", sheet + "/delete", url.Values{"version": {version}}},
	}
}

// Only those who keep the organisation reach the rotations; a cross-origin POST to any of its
// forms is refused before it acts.
func TestRotationRoutesGates(t *testing.T) {
	e := newEnv(t)
	tw := newRotTown(t, e)
	sheet := tw.createRotation(t, e, "令和9年4月1日付 人事異動", "2027-04-01")
	tw.addLine(t, e, sheet, url.Values{"kind": {"move"}, "person_id": {itoa(tw.yamada.ID)}, "unit_id": {itoa(tw.general.ID)}})
	rotID, _ := strconv.ParseInt(strings.TrimPrefix(sheet, "/rotations/"), 10, 64)
	r, err := e.db.FindRotation(context.Background(), system, rotID)
	if err != nil {
		t.Fatal(err)
	}
	routes := rotationRoutes(sheet, r.Lines[0].ID, itoa(int64(r.Version)), tw)

	for _, role := range []isms.Role{isms.RoleStaff, isms.RoleAuditor, isms.RoleCISO} {
		c, _ := e.loginAs(t, "as-"+string(role), role, tw.tax.ID)
		for _, rt := range routes {
			if res := do(t, c, e.srv.URL, rt.method, rt.path, rt.form, nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d", rt.method, rt.path, role, res.StatusCode)
			}
		}
		if _, body := get(t, c, e.srv.URL+"/"); strings.Contains(body, `href="/rotations"`) {
			t.Errorf("the menu of %s offers rotations", role)
		}
	}

	cross := map[string]string{"Sec-Fetch-Site": "cross-site"}
	for _, rt := range routes {
		if rt.method != "POST" {
			continue
		}
		if res := do(t, tw.office, e.srv.URL, rt.method, rt.path, rt.form, cross); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin POST %s: %d", rt.path, res.StatusCode)
		}
	}
	after, err := e.db.FindRotation(context.Background(), system, rotID)
	if err != nil || after.Version != r.Version || after.Status != isms.RotationDraft || len(after.Lines) != 1 || after.Title != r.Title {
		t.Errorf("after refused requests: %+v %v", after, err)
	}
	if list, _ := e.db.FindRotations(context.Background(), system); len(list) != 1 {
		t.Errorf("%d rotations after refused requests, want 1", len(list))
	}

	// The security office and administrators read them (their changes are tested above).
	for _, rt := range routes {
		if rt.method == "GET" {
			if res, _ := get(t, tw.office, e.srv.URL+rt.path); res.StatusCode != http.StatusOK {
				t.Errorf("GET %s as the security office: %d", rt.path, res.StatusCode)
			}
		}
	}
	admin, _ := e.loginAs(t, "admin", isms.RoleSystemAdmin, 0)
	if res, _ := get(t, admin, e.srv.URL+"/rotations"); res.StatusCode != http.StatusOK {
		t.Errorf("administrator: %d", res.StatusCode)
	}
}
