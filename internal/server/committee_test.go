package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// comPath is where a POST that saved sent the browser, checked to be a 303 to a path like want.
func comPath(t *testing.T, what string, res *http.Response, want *regexp.Regexp) string {
	t.Helper()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !want.MatchString(loc) {
		t.Fatalf("%s: %d to %q", what, res.StatusCode, loc)
	}
	return loc
}

// The committee through its pages: the security office records a meeting held with a member
// present, puts the training plan on the agenda (a refused item comes back with its message) and
// records the approval; a member reads the minutes without the forms, staff are refused; the
// calendar places the meeting and a training session in their months, for everyone; the trail
// names every change.
func TestCommitteeMeetingThroughPages(t *testing.T) {
	e := newEnv(t)
	general := e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	sekine := e.orgPerson(t, "関根 次郎", "0123-45-1001", general.ID)
	sato := e.orgPerson(t, "佐藤 一郎", "0123-45-1101", tax.ID)
	e.orgAssign(t, sekine.ID, isms.RoleCodeCommittee, 0, false)
	member := e.orgSignInAsPerson(t, "sekine", sekine)
	staff := e.orgSignInAsPerson(t, "sato", sato)
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, general.ID)
	base := e.srv.URL

	for _, path := range []string{"/committee", "/committee/meetings/new", "/committee/improvement/2026"} {
		if res, _ := get(t, staff, base+path); res.StatusCode != http.StatusForbidden {
			t.Errorf("staff GET %s: %d, want 403", path, res.StatusCode)
		}
	}
	if res, _ := get(t, member, base+"/committee/meetings/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member opening the meeting form: %d, want 403", res.StatusCode)
	}
	_, body := get(t, office, base+"/committee/meetings/new")
	orgWant(t, "meeting form", body, `<label for="title">会議名</label>`, "関根 次郎", `name="attendees" value="`+itoa(sekine.ID)+`"`)
	orgNot(t, "meeting form", body, "佐藤 一郎")

	res, _ := post(t, office, base+"/committee/meetings", url.Values{"title": {"令和8年度第1回情報セキュリティ委員会"},
		"held_on": {"2026-11-20"}, "place": {"役場3階 第1会議室"}, "status": {"held"}, "attendees": {itoa(sekine.ID)},
		"guests": {"最高情報セキュリティアドバイザー 山本"}, "minutes": {"研修計画を原案どおり承認した。"}}, nil)
	meeting := base + comPath(t, "create meeting", res, regexp.MustCompile(`^/committee/meetings/\d+$`))

	// An audit result needs its audit's number: the form comes back with the message beside it.
	res, body = post(t, office, meeting+"/agenda", url.Values{"subject": {"内部監査の結果について"}, "subject_kind": {"audit_result"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMessage(body, "subject_ref") != "対象の番号を入力してください。" {
		t.Errorf("agenda item without its audit: %d, %q", res.StatusCode, fieldMessage(body, "subject_ref"))
	}
	if !strings.Contains(body, `value="内部監査の結果について"`) {
		t.Error("the refused agenda form lost what was typed")
	}
	res, _ = post(t, office, meeting+"/agenda", url.Values{"subject": {"令和8年度研修計画について"}, "subject_kind": {"training_plan"},
		"subject_ref": {"2026"}}, nil)
	comPath(t, "add agenda item", res, regexp.MustCompile(`#agenda-h$`))
	_, body = get(t, office, meeting)
	item := between(body, `data-item="`, `"`)
	version := between(between(body, `action="/committee/meetings/`+strings.TrimPrefix(meeting, base+"/committee/meetings/")+`/agenda/`+item+`/decision"`, `</form>`), `name="version" value="`, `"`)
	res, _ = post(t, office, meeting+"/agenda/"+item+"/decision", url.Values{"outcome": {"approved"}, "decision": {"原案のとおり承認"},
		"version": {version}}, nil)
	comPath(t, "decision", res, regexp.MustCompile(`#item-`+item+`$`))
	res, _ = post(t, office, meeting+"/agenda/"+item+"/decision", url.Values{"outcome": {"rejected"}, "version": {version}}, nil)
	if res.StatusCode != http.StatusConflict {
		t.Errorf("a stale decision: %d, want 409", res.StatusCode)
	}

	// The minutes as a member reads them.
	res, body = get(t, member, meeting)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("member reading the meeting: %d", res.StatusCode)
	}
	text := visible(body)
	orgWant(t, "minutes", text, "令和8年度第1回情報セキュリティ委員会", "役場3階 第1会議室", "開催済", "関根 次郎",
		"最高情報セキュリティアドバイザー 山本", "令和8年度研修計画について", "研修計画： 2026年度", "決定 承認", "原案のとおり承認",
		"研修計画を原案どおり承認した。")
	orgWant(t, "minutes", body, `href="/training/plans/2026"`)
	orgNot(t, "minutes for a member", body, "決定を記録", "議題を追加", "会議を編集")
	if res, _ := get(t, staff, meeting); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff reading the meeting: %d, want 403", res.StatusCode)
	}
	_, body = get(t, member, base+"/committee?fy=2026")
	orgWant(t, "committee page", visible(body), "令和8年度第1回情報セキュリティ委員会", "未承認")
	_, body = get(t, member, base+"/")
	orgWant(t, "member's menu", body, `href="/committee"`, `href="/calendar"`, `href="/tasks"`)
	_, body = get(t, staff, base+"/")
	orgNot(t, "staff's menu", body, `href="/committee"`)

	// The calendar: the meeting in November, a training session in July, for everyone.
	held := time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC)
	if _, err := e.db.CreateSession(context.Background(), system, isms.SessionInput{CourseCode: "GEN_ANNUAL",
		Title: "全職員向け情報セキュリティ研修（前期）", HeldOn: &held, Method: isms.MethodClassroom}); err != nil {
		t.Fatal(err)
	}
	res, body = get(t, staff, base+"/calendar?fy=2026")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("calendar: %d", res.StatusCode)
	}
	month := func(m string) string { return visible(between(body, `data-month="`+m+`"`, `</section>`)) }
	orgWant(t, "July", month("7"), "2026年7月", "研修・訓練", "全職員向け情報セキュリティ研修（前期）")
	orgWant(t, "November", month("11"), "2026年11月", "委員会", "令和8年度第1回情報セキュリティ委員会")
	orgNot(t, "October", month("10"), "委員会", "研修")
	orgWant(t, "March", month("3"), "2027年3月", "予定はありません。")
	orgNot(t, "staff's calendar", body, `href="/committee/meetings/`)

	_, body = get(t, office, base+"/audit?entity_type=committee_meeting")
	orgWant(t, "trail", visible(body), "委員会の会議の登録", "議題の追加", "委員会の決定の記録")
}

// The improvement plan through its pages: measures added and approved; the 管理者 of the unit
// finds the measure among their tasks and records progress, which keeps the approval; a change
// of the measure withdraws it.
func TestImprovementPlanThroughPages(t *testing.T) {
	e := newEnv(t)
	tw := newReqTown(t, e)
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, tw.tax.ID)
	base := e.srv.URL
	plan := base + "/committee/improvement/2026"

	res, body := post(t, office, plan+"/items", url.Values{"measure": {" "}, "unit_id": {"0"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMessage(body, "measure") != "入力してください。" {
		t.Errorf("an empty measure: %d, %q", res.StatusCode, fieldMessage(body, "measure"))
	}
	res, _ = post(t, office, plan+"/items", url.Values{"measure": {"共有フォルダのアクセス権を棚卸しする"},
		"unit_id": {itoa(tw.tax.ID)}, "due_on": {"2026-11-30"}}, nil)
	comPath(t, "add measure", res, regexp.MustCompile(`^/committee/improvement/2026#measures-h$`))
	_, body = get(t, office, plan)
	version := between(between(body, `id="approve-form"`, `</form>`), `name="version" value="`, `"`)
	res, _ = post(t, office, plan+"/approve", url.Values{"approved_on": {"2026-11-20"}, "approved_by": {"第1回情報セキュリティ委員会"},
		"version": {version}}, nil)
	comPath(t, "approve", res, regexp.MustCompile(`#approval-h$`))
	_, body = get(t, office, plan)
	orgWant(t, "plan", visible(body), "2026年度 改善計画", "第1回情報セキュリティ委員会", "共有フォルダのアクセス権を棚卸しする", "税務課", "未着手")

	// The 管理者 of 税務課: the measure among their tasks, its page, the progress recorded.
	_, body = get(t, tw.kato, base+"/tasks")
	row := between(body, `data-kind="improvement_plan"`, `</tr>`)
	orgWant(t, "the 管理者's task", visible(row), "改善計画の施策", "共有フォルダのアクセス権を棚卸しする")
	itemPath := between(row, `href="`, `"`)
	if res, _ := get(t, tw.kato, plan); res.StatusCode != http.StatusForbidden {
		t.Errorf("the 管理者 opening the whole plan: %d, want 403", res.StatusCode)
	}
	res, body = get(t, tw.kato, base+itemPath)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="progress-form"`) || strings.Contains(body, `id="edit-form"`) {
		t.Fatalf("the measure's page for its 管理者: %d", res.StatusCode)
	}
	version = between(between(body, `id="progress-form"`, `</form>`), `name="version" value="`, `"`)
	res, _ = post(t, tw.kato, base+itemPath+"/progress", url.Values{"status": {"in_progress"}, "progress": {"課内の共有フォルダを洗い出した"},
		"version": {version}}, nil)
	comPath(t, "progress", res, regexp.MustCompile(`^/committee/improvement/items/\d+$`))
	if res, _ := post(t, tw.suzuki, base+itemPath+"/progress", url.Values{"status": {"done"}, "version": {version}}, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("another unit's 管理者 recording progress: %d, want 404", res.StatusCode)
	}
	_, body = get(t, office, plan)
	orgWant(t, "plan after progress", visible(body), "実施中", "課内の共有フォルダを洗い出した", "第1回情報セキュリティ委員会")

	// A changed measure is no longer the plan approved.
	_, body = get(t, office, base+itemPath)
	version = between(between(body, `id="edit-form"`, `</form>`), `name="version" value="`, `"`)
	res, _ = post(t, office, base+itemPath, url.Values{"measure": {"共有フォルダのアクセス権を棚卸しし、不要な権限を削除する"},
		"unit_id": {itoa(tw.tax.ID)}, "due_on": {"2026-12-25"}, "version": {version}}, nil)
	comPath(t, "change measure", res, regexp.MustCompile(`^/committee/improvement/items/\d+$`))
	_, body = get(t, office, plan)
	if got := visible(between(body, `data-testid="plan-approval"`, `</`)); !strings.Contains(got, "未承認") {
		t.Errorf("approval after a change: %q", got)
	}
	_, body = get(t, office, base+"/audit?entity_type=improvement_plan")
	orgWant(t, "trail", visible(body), "改善計画の承認", "改善計画の進捗の記録", "改善計画の承認の取消し（計画の変更による）")
}
