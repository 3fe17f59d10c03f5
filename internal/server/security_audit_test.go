package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The audit pages as a small town uses them: the security office plans an internal audit of
// 税務課 and is refused 佐藤 of 税務課 as its auditor (the form says who and why), then names 山田 of
// 総務課; 山田 records a finding and a corrective action for 加藤, 税務課's 管理者, which is overdue;
// 加藤 reports it done and cannot verify it; 山田 verifies it. 鈴木 of 住民生活課 does not find the
// finding; the report prints for the office, not for 税務課's staff.
func TestSecurityAuditPages(t *testing.T) {
	e := newEnv(t)
	general := e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	life := e.orgUnit(t, "120", "住民生活課", isms.UnitSection, 0)
	sato := e.orgPerson(t, "佐藤 一郎", "0123-45-1101", tax.ID)
	kato := e.orgPerson(t, "加藤 花子", "0123-45-1102", tax.ID)
	yamada := e.orgPerson(t, "山田 監査", "0123-45-1001", general.ID)
	suzuki := e.orgPerson(t, "鈴木 三郎", "0123-45-1201", life.ID)
	e.orgAssign(t, kato.ID, isms.RoleCodeISM, tax.ID, false)
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	satoC := e.orgSignInAsPerson(t, "sato", sato)
	katoC := e.orgSignInAsPerson(t, "kato", kato)
	yamadaC := e.orgSignInAsPerson(t, "yamada", yamada)
	suzukiC := e.orgSignInAsPerson(t, "suzuki", suzuki)

	// The plan of 令和8年度: saved, approved by the committee, and its approval lost when it changes.
	plan := url.Values{"version": {"0"}, "objectives": {"対策基準の遵守状況を確認する"}, "scope_summary": {"町長部局"},
		"item_kind": {"internal", "internal"}, "item_title": {"税務課 内部監査", ""}, "item_target": {"税務課", ""},
		"item_month": {"11", ""}}
	if res, _ := post(t, satoC, e.srv.URL+"/audits/plans/2026", plan, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff saving the plan: %d", res.StatusCode)
	}
	if res, _ := post(t, office, e.srv.URL+"/audits/plans/2026", plan, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save plan: %d", res.StatusCode)
	}
	_, body := get(t, office, e.srv.URL+"/audits/plans/2026")
	if res, _ := post(t, office, e.srv.URL+"/audits/plans/2026/approve", url.Values{"version": {formVersion(body)},
		"approved_on": {"2026-04-20"}, "approved_by": {"情報セキュリティ委員会（令和8年4月20日）"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve plan: %d", res.StatusCode)
	}
	_, body = get(t, satoC, e.srv.URL+"/audits")
	orgWant(t, "plan as staff read it", visible(body), "承認（情報セキュリティ委員会（令和8年4月20日））")
	_, body = get(t, office, e.srv.URL+"/audits/plans/2026")
	plan.Set("version", between(between(body, `id="plan-form"`, "</form>"), `name="version" value="`, `"`))
	plan["item_title"] = []string{"税務課 内部監査", "住民生活課 内部監査"}
	if res, _ := post(t, office, e.srv.URL+"/audits/plans/2026", plan, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change plan: %d", res.StatusCode)
	}
	_, body = get(t, office, e.srv.URL+"/audits/plans/2026")
	orgWant(t, "changed plan", between(body, `data-testid="plan-approval"`, "</p>"), "未承認")
	orgWant(t, "changed plan", body, `value="住民生活課 内部監査"`)

	if res, _ := get(t, satoC, e.srv.URL+"/audits/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff opening the audit form: %d", res.StatusCode)
	}
	form := url.Values{"fiscal_year": {"2026"}, "kind": {"internal"}, "title": {"税務課 情報セキュリティ内部監査"},
		"unit_ids": {itoa(tax.ID)}, "lead_id": {itoa(sato.ID)}, "planned_start": {"2026-11-16"}, "planned_end": {"2026-11-20"},
		"actual_start": {"2026-11-16"}, "status": {"in_progress"}}
	res, body := post(t, office, e.srv.URL+"/audits/new", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("auditor from the audited unit: %d", res.StatusCode)
	}
	orgWant(t, "refused audit form", visible(between(body, `id="auditors-error"`, "</p>")),
		"佐藤 一郎 は監査対象の 税務課 に所属しているため")
	orgWant(t, "refused audit form", body, `value="税務課 情報セキュリティ内部監査"`)
	form.Set("lead_id", itoa(yamada.ID))
	res, _ = post(t, office, e.srv.URL+"/audits/new", form, nil)
	auditPath := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/audits/\d+$`).MatchString(auditPath) {
		t.Fatalf("create audit: %d to %q", res.StatusCode, auditPath)
	}

	res, _ = post(t, yamadaC, e.srv.URL+auditPath+"/findings", url.Values{"title": {"端末パスワードの共有"},
		"description": {"課内で端末のパスワードを共有している。"}, "severity": {"MAJOR"}, "clause": {"対策基準 第5条"},
		"unit_id": {itoa(tax.ID)}}, nil)
	findingPath := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(findingPath, "/audits/findings/") {
		t.Fatalf("finding: %d to %q", res.StatusCode, findingPath)
	}
	if res, _ = post(t, yamadaC, e.srv.URL+findingPath+"/actions", url.Values{"description": {"個人別アカウントを発行する"},
		"owner_id": {itoa(kato.ID)}, "due_on": {"2026-11-20"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("corrective action: %d", res.StatusCode)
	}

	_, body = get(t, office, e.srv.URL+auditPath+"/edit")
	orgWant(t, "audit edit form", body, `value="2026-11-16"`, `value="`+itoa(yamada.ID)+`" selected`)
	if res, _ := get(t, suzukiC, e.srv.URL+findingPath); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff of another unit reading the finding: %d", res.StatusCode)
	}
	_, body = get(t, katoC, e.srv.URL+findingPath)
	orgWant(t, "finding as its unit's manager reads it", visible(body), "端末パスワードの共有", "重大", "対策基準 第5条", "期限超過", "完了を報告")
	orgNot(t, "finding as its unit's manager reads it", body, "確認済にする")
	m := regexp.MustCompile(`/actions/(\d+)/done`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no done form for the owner")
	}
	actionPath := e.srv.URL + findingPath + "/actions/" + m[1]
	if res, _ = post(t, katoC, actionPath+"/done", url.Values{"version": {formVersion(body)}, "done_on": {"2026-11-24"},
		"note": {"個人別アカウントを発行し、共用パスワードを廃止した"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner reports done: %d", res.StatusCode)
	}
	_, body = get(t, yamadaC, e.srv.URL+findingPath)
	version := between(between(body, `id="verify-`+m[1]+`"`, "</form>"), `name="version" value="`, `"`)
	if res, _ = post(t, katoC, actionPath+"/verify", url.Values{"version": {version}, "decision": {"verify"}}, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("owner verifying: %d", res.StatusCode)
	}
	if res, _ = post(t, yamadaC, actionPath+"/verify", url.Values{"version": {version}, "decision": {"verify"},
		"note": {"端末設定を確認した"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("auditor verifies: %d", res.StatusCode)
	}

	if res, _ = post(t, yamadaC, e.srv.URL+auditPath+"/notes", url.Values{"noted_on": {"2026-11-17"},
		"body": {"課長へのヒアリング: パスワードは課内で共有と回答"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("evidence note: %d", res.StatusCode)
	}
	_, body = get(t, yamadaC, e.srv.URL+auditPath)
	orgWant(t, "audit as its auditor reads it", visible(body), "山田 監査（監査責任者）", "課長へのヒアリング", "指摘事項を登録")
	orgNot(t, "audit page", body, "%!")
	_, body = get(t, satoC, e.srv.URL+auditPath)
	orgWant(t, "audit as the audited staff read it", visible(body), "端末パスワードの共有")
	orgNot(t, "audit as the audited staff read it", body, "課長へのヒアリング", "指摘事項を登録")

	_, body = get(t, office, e.srv.URL+auditPath+"/report")
	orgNot(t, "audit report", body, "%!")
	orgWant(t, "audit report", visible(body), "情報セキュリティ監査報告書", "指摘 1: 端末パスワードの共有", "確認済", "端末設定を確認した")
	orgWant(t, "audit report", body, `href="/static/print.css"`, `class="no-print"`)
	if res, _ := get(t, satoC, e.srv.URL+auditPath+"/report"); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff printing the report: %d", res.StatusCode)
	}
	_, body = get(t, satoC, e.srv.URL+"/audits")
	orgWant(t, "audits as 税務課 staff see them", body, `href="/audits"`, "税務課 情報セキュリティ内部監査")
	_, body = get(t, suzukiC, e.srv.URL+"/audits")
	orgNot(t, "audits as 住民生活課 staff see them", body, "税務課 情報セキュリティ内部監査")
}
