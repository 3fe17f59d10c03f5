package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The incident pages as the people of a small town use them: 佐藤 of 税務課 reports, 加藤 manages
// 税務課, 鈴木 works in 住民生活課, 中村 of 総務課 is a CSIRT member (a staff account handling
// incidents by the role it holds), and an auditor reads.
type incTown struct {
	tax, life, general             isms.Unit
	sato, kato, suzuki, csirt, aud *http.Client
}

func newIncTown(t *testing.T, e *testEnv) incTown {
	t.Helper()
	var tw incTown
	tw.general = e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	tw.tax = e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	tw.life = e.orgUnit(t, "120", "住民生活課", isms.UnitSection, 0)
	sato := e.orgPerson(t, "佐藤 一郎", "0123-45-1101", tw.tax.ID)
	kato := e.orgPerson(t, "加藤 花子", "0123-45-1102", tw.tax.ID)
	suzuki := e.orgPerson(t, "鈴木 三郎", "0123-45-1201", tw.life.ID)
	nakamura := e.orgPerson(t, "中村 四郎", "0123-45-1001", tw.general.ID)
	e.orgAssign(t, kato.ID, isms.RoleCodeISM, tw.tax.ID, false)
	e.orgAssign(t, nakamura.ID, isms.RoleCodeCSIRTMember, 0, false)
	tw.sato = e.orgSignInAsPerson(t, "sato", sato)
	tw.kato = e.orgSignInAsPerson(t, "kato", kato)
	tw.suzuki = e.orgSignInAsPerson(t, "suzuki", suzuki)
	tw.csirt = e.orgSignInAsPerson(t, "nakamura", nakamura)
	tw.aud, _ = e.loginAs(t, "auditor", isms.RoleAuditor, 0)
	return tw
}

// incidentReport is a valid intake: a mis-sent e-mail noticed on the morning of the test day.
func incidentReport(title string) url.Values {
	return url.Values{"title": {title}, "description": {"住民あてのメールを別の住民に送信した。"},
		"aware_at": {"2026-11-25T09:30"}, "place": {"税務課"}, "personal_info": {"yes"},
		"first_action": {"誤送信先に削除を依頼した。"}, "channel": {"portal"}}
}

// incReport sends the intake and returns the new incident's path.
func incReport(t *testing.T, e *testEnv, c *http.Client, form url.Values) string {
	t.Helper()
	res, body := post(t, c, e.srv.URL+"/incidents", form, nil)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/incidents/") {
		t.Fatalf("report: status %d to %q: %s", res.StatusCode, loc, visible(between(body, "<main", "</main>")))
	}
	return loc
}

// incVersion is the version carried by the first form of a page.
func incVersion(t *testing.T, body string) string {
	t.Helper()
	v := formVersion(body)
	if v == "" {
		t.Fatal("no form with a version")
	}
	return v
}

// The intake: the form for staff, its refusals (each beside its field, with what was typed kept),
// the reference number on the new incident's page, the reporter's list, the 窓口's queue for a
// handler, and a cross-origin report refused.
func TestIncidentIntake(t *testing.T) {
	e := newEnv(t)
	tw := newIncTown(t, e)

	res, body := get(t, tw.sato, e.srv.URL+"/incidents/new")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("intake form: %d", res.StatusCode)
	}
	orgWant(t, "intake form", body, "<h1>インシデントを報告する</h1>", `<label for="title">件名</label>`,
		`<label for="aware_at">気付いた日時</label>`, `name="aware_at" value="2026-11-25T10:`, `<option value="portal" selected>職員からの報告</option>`,
		`id="personal_info-unknown" name="personal_info" value="unknown" checked`, `<label for="external_reporter">`)
	orgWant(t, "menu", between(body, `<nav class="main-nav"`, "</nav>"), `<a href="/incidents" aria-current="false">`)

	for _, c := range []struct {
		what, field, message string
		change               url.Values
	}{
		{"no noticed time", "aware_at", "入力してください。", url.Values{"aware_at": {""}}},
		{"a noticed time ahead", "aware_at", "未来の日時は入力できません。", url.Values{"aware_at": {"2030-01-01T09:00"}}},
		{"an outside report without its reporter", "external_reporter", "外部から受けた報告では、報告者（氏名・連絡先など）を入力してください。",
			url.Values{"channel": {"phone"}}},
	} {
		form := incidentReport("メール誤送信")
		for k, v := range c.change {
			form[k] = v
		}
		res, body := post(t, tw.sato, e.srv.URL+"/incidents", form, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || fieldMessage(body, c.field) != c.message {
			t.Errorf("%s: %d, message %q", c.what, res.StatusCode, fieldMessage(body, c.field))
		}
		orgWant(t, c.what, body, `value="メール誤送信"`, "誤送信先に削除を依頼した。", `aria-describedby="`+c.field+`-error"`)
	}

	// A resident's call, taken by staff, with the caller named.
	form := incidentReport("住民からの電話: 他人の通知書が届いた")
	form.Set("channel", "phone")
	form.Set("external_reporter", "町民 山本様 0123-45-9999")
	path := incReport(t, e, tw.sato, form)
	_, body = get(t, tw.sato, e.srv.URL+path)
	orgWant(t, "new incident", body, `<div class="alert alert-ok" role="status">報告を受け付けました。受付番号 2026-0001</div>`,
		"住民からの電話: 他人の通知書が届いた", "電話（外部から）", "町民 山本様 0123-45-9999", "受付", "まだ判定されていません。")
	orgNot(t, "new incident for its reporter", body, `action="`+path+`/move"`, `href="`+path+`/triage"`)
	if _, body = get(t, tw.sato, e.srv.URL+path); strings.Contains(body, "報告を受け付けました") {
		t.Error("the flash shows again on reload")
	}

	_, body = get(t, tw.sato, e.srv.URL+"/incidents?mine=1")
	orgWant(t, "reporter's list", body, `<a href="`+path+`">2026-0001</a>`, "自分の報告")

	// The handler finds it waiting in the 窓口's queue, counted in the menu.
	_, body = get(t, tw.csirt, e.srv.URL+"/incidents?status=received")
	orgWant(t, "handler's menu", between(body, `<nav class="main-nav"`, "</nav>"), "受付待ち1件")
	orgWant(t, "queue", body, `<a href="`+path+`">2026-0001</a>`, `href="/incidents/stats"`)
	orgNot(t, "menu of staff", between(get2(t, tw.sato, e.srv.URL+"/"), `<nav class="main-nav"`, "</nav>"), "受付待ち")

	if res, _ := post(t, tw.sato, e.srv.URL+"/incidents", incidentReport("他サイトから"), map[string]string{"Sec-Fetch-Site": "cross-site"}); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin report: %d, want 403", res.StatusCode)
	}
}

// get2 is the body of a page.
func get2(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	_, body := get(t, c, u)
	return body
}

// The handler's work on a report: a move the workflow refuses (with the reason), the triage that
// makes it a severity 3 incident owing the PPC a 速報 (overdue, standing out on the page and the
// list), a stale triage (409), an allowed move, an action marked done and a report recorded.
func TestIncidentTriageAndWorkflow(t *testing.T) {
	e := newEnv(t)
	tw := newIncTown(t, e)
	path := incReport(t, e, tw.sato, incidentReport("課税通知メールの誤送信"))
	page := e.srv.URL + path

	_, body := get(t, tw.csirt, page)
	orgWant(t, "handler's page", body, `href="`+path+`/triage"`, "「調査中」にする", "「非該当」にする")
	res, body := post(t, tw.csirt, page+"/move", url.Values{"to": {"investigating"}, "version": {incVersion(t, body)}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(visible(body), "状態を変更できませんでした。 インシデントと判定してから進めてください。") {
		t.Errorf("moving an unjudged report: %d, %q", res.StatusCode, visible(between(body, `id="move"`, "</form>")))
	}

	res, body = get(t, tw.csirt, page+"/triage")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("triage form: %d", res.StatusCode)
	}
	orgWant(t, "triage form", body, `<optgroup label="非意図的要因`, `<option value="MISDELIVERY">誤送信・誤送付</option>`,
		"3 緊急・最重大", "個人情報保護委員会への報告事由に当たる", `name="unit" value="`+itoa(tw.tax.ID)+`" checked`)
	version := incVersion(t, body)
	triage := url.Values{"is_incident": {"yes"}, "severity": {"3"}, "category": {"MISDELIVERY"}, "zone": {"LGWAN"},
		"impact": {"住民150人"}, "aware_at": {"2026-11-18T09:00"}, "unit": {itoa(tw.tax.ID)}, "personal_info": {"yes"},
		"pi_items": {"氏名、住所、税額"}, "pi_subjects": {"150"}, "version": {version}}
	res, _ = post(t, tw.csirt, page+"/triage", triage, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("triage: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, tw.csirt, page)
	ppc := between(body, `aria-labelledby="ppc-h"`, "</section>")
	orgWant(t, "PPC box", ppc, "報告が必要です。", "本人の数が100人を超える", "2026年11月23日", `<span class="badge overdue">期限超過</span>`,
		"2026年12月18日", `href="`+path+`/ppc"`)
	orgWant(t, "page head", between(body, `<div class="page-head">`, "</div>"), "3 緊急・最重大", "調査中")
	orgWant(t, "timeline", visible(between(body, `id="timeline-h"`, "</section>")), "受付 → 調査中", "未判定 → 3 緊急・最重大",
		"CISO・管理者へ通知（重要度2以上、個人情報保護委員会への報告が必要）")
	_, list := get(t, tw.csirt, e.srv.URL+"/incidents?overdue=1&ppc=1")
	row := between(list, `data-number="2026-0001"`, "</tr>")
	orgWant(t, "overdue list", row, "課税通知メールの誤送信", "要", "2026年11月23日", "期限超過", "誤送信・誤送付", "税務課")

	// The triage form as it stood before is stale now.
	triage.Set("severity", "2")
	res, body = post(t, tw.csirt, page+"/triage", triage, nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "最新の内容を表示") {
		t.Errorf("stale triage: %d", res.StatusCode)
	}

	// An allowed move, with its note in the timeline.
	_, body = get(t, tw.csirt, page)
	res, _ = post(t, tw.csirt, page+"/move", url.Values{"to": {"responding"}, "move_note": {"応急措置を開始"}, "version": {incVersion(t, body)}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("allowed move: %d", res.StatusCode)
	}
	_, body = get(t, tw.csirt, page)
	orgWant(t, "moved", between(body, `<div class="page-head">`, "</div>"), "対応中")
	orgWant(t, "timeline after the move", visible(between(body, `id="timeline-h"`, "</section>")), "調査中 → 対応中 応急措置を開始")

	// A preventive measure, done; the 速報 made.
	res, _ = post(t, tw.csirt, page+"/actions", url.Values{"action_kind": {"prevention"}, "action_description": {"送信前の宛先確認を二人で行う"},
		"action_owner": {"0"}, "action_due_on": {"2026-12-10"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding an action: %d", res.StatusCode)
	}
	_, body = get(t, tw.csirt, page)
	action := between(body, `<tr id="action-`, "</tr>")
	orgWant(t, "action", action, "再発防止策", "送信前の宛先確認を二人で行う", "実施済にする")
	actionID := between(action, "", `"`)
	res, _ = post(t, tw.csirt, page+"/actions/"+actionID+"/done", url.Values{"done_on": {"2026-11-25"}, "version": {formVersion(action)}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("marking the action done: %d", res.StatusCode)
	}
	_, body = get(t, tw.csirt, page)
	report := between(body, `<tr id="report-`, "</tr>")
	orgWant(t, "速報 row", report, "個人情報保護委員会（速報）", "期限超過")
	res, _ = post(t, tw.csirt, page+"/reports/"+between(report, "", `"`), url.Values{"done_on": {"2026-11-25"}, "note": {"電子申請で報告"},
		"version": {formVersion(report)}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recording the 速報: %d", res.StatusCode)
	}
	_, body = get(t, tw.csirt, page)
	orgWant(t, "done action", between(body, `<tr id="action-`, "</tr>"), "2026年11月25日")
	orgWant(t, "made report", between(body, `<tr id="report-`, "</tr>"), "2026年11月25日", "電子申請で報告", "実施済")
	orgNot(t, "made report", between(body, `<tr id="report-`, "</tr>"), "期限超過")
}

// Need to know over HTTP: staff of another unit neither open nor list the incident (404), the
// manager of its unit sees it on the list and on the unit's page and adds to its timeline but
// does not triage (403), and the auditor reads it without any form.
func TestIncidentNeedToKnow(t *testing.T) {
	e := newEnv(t)
	tw := newIncTown(t, e)
	path := incReport(t, e, tw.sato, incidentReport("USBメモリの紛失"))
	page := e.srv.URL + path

	if res, _ := get(t, tw.suzuki, page); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff of 住民生活課 opening it: %d, want 404", res.StatusCode)
	}
	if res, _ := post(t, tw.suzuki, page+"/events", url.Values{"event_kind": {"note"}, "event_body": {"見た"}}, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff of 住民生活課 adding to its timeline: %d, want 404", res.StatusCode)
	}
	_, body := get(t, tw.suzuki, e.srv.URL+"/incidents")
	orgNot(t, "list of staff of 住民生活課", body, "USBメモリの紛失", "2026-0001")

	_, body = get(t, tw.kato, e.srv.URL+"/incidents")
	orgWant(t, "manager's list", body, `<a href="`+path+`">2026-0001</a>`, "USBメモリの紛失")
	_, body = get(t, tw.kato, e.srv.URL+"/units/"+itoa(tw.tax.ID))
	section := between(body, `<h2 id="incidents-h">`, "</section>")
	orgWant(t, "unit page", section, `<a href="`+path+`">2026-0001</a>`, "USBメモリの紛失", "受付",
		`href="/incidents?status=open&amp;unit=`+itoa(tw.tax.ID)+`"`)
	if res, _ := get(t, tw.kato, page+"/triage"); res.StatusCode != http.StatusForbidden {
		t.Errorf("manager opening the triage: %d, want 403", res.StatusCode)
	}
	res, _ := post(t, tw.kato, page+"/events", url.Values{"event_kind": {"communication"}, "event_at": {"2026-11-25T09:45"},
		"event_body": {"課内で保管場所を確認中"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("manager adding to the timeline: %d", res.StatusCode)
	}

	res, body = get(t, tw.aud, page)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("auditor: %d", res.StatusCode)
	}
	orgWant(t, "auditor's page", visible(body), "USBメモリの紛失", "連絡・調整", "課内で保管場所を確認中")
	orgNot(t, "auditor's page", body, "<form method=\"post\" action=\""+path)
}
