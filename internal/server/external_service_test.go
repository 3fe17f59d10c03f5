package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The external services pages as a small town uses them: 佐藤 of 税務課 asks to use a cloud service
// (first forgetting its name: the form comes back with what was typed); 中村 of 住民生活課 does not
// find it; 鈴木, 住民生活課's 管理者, cannot decide it; 加藤, 税務課's 管理者, cannot decide his own
// request but approves 佐藤's at a lower level than asked, naming 森, who then holds the
// 外部サービス管理者 role; a stale edit is refused; 佐藤 asks for a higher level, which waits in the
// 要対応 list and in 加藤's tasks; a shared service is listed for 中村 too.
func TestExternalServicePages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	life := e.orgUnit(t, "120", "住民生活課", isms.UnitSection, 0)
	sato := e.orgPerson(t, "佐藤 一郎", "0123-45-1101", tax.ID)
	kato := e.orgPerson(t, "加藤 花子", "0123-45-1102", tax.ID)
	mori := e.orgPerson(t, "森 次郎", "0123-45-1103", tax.ID)
	suzuki := e.orgPerson(t, "鈴木 三郎", "0123-45-1201", life.ID)
	nakamura := e.orgPerson(t, "中村 四郎", "0123-45-1202", life.ID)
	e.orgAssign(t, kato.ID, isms.RoleCodeISM, tax.ID, false)
	e.orgAssign(t, suzuki.ID, isms.RoleCodeISM, life.ID, false)
	satoC := e.orgSignInAsPerson(t, "sato", sato)
	katoC := e.orgSignInAsPerson(t, "kato", kato)
	suzukiC := e.orgSignInAsPerson(t, "suzuki", suzuki)
	nakamuraC := e.orgSignInAsPerson(t, "nakamura", nakamura)

	form := url.Values{"version": {"0"}, "name": {""}, "provider": {"株式会社クラウド"}, "purpose": {"住民税の申告受付"},
		"unit_id": {itoa(tax.ID)}, "contract_form": {"contract"}, "requested_level": {"LGC3B"}, "ismap_registered": {"1"},
		"ismap_number": {"C23-0001-1"}, "data_location": {"domestic"}, "governing_law": {"日本法"}, "jurisdiction": {"東京地方裁判所"},
		"mfa": {"1"}, "auth_method": {"TOTP"}, "users_scope": {"税務課職員"}, "account_count": {"12"}, "use_from": {"2026-12-01"}}
	res, body := post(t, satoC, e.srv.URL+"/external-services", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("request without a name: %d", res.StatusCode)
	}
	orgWant(t, "refused request", body, `id="name-error"`, `value="株式会社クラウド"`, `value="C23-0001-1"`)
	orgWant(t, "refused request", visible(body), "入力してください")
	form.Set("name", "電子申告クラウド")
	res, _ = post(t, satoC, e.srv.URL+"/external-services", form, nil)
	path := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/external-services/\d+$`).MatchString(path) {
		t.Fatalf("request: %d to %q", res.StatusCode, path)
	}
	if res, _ := get(t, nakamuraC, e.srv.URL+path); res.StatusCode != http.StatusNotFound {
		t.Errorf("another unit's staff reading: %d", res.StatusCode)
	}
	_, body = get(t, satoC, e.srv.URL+path)
	orgWant(t, "request as its requester reads it", visible(body), "S-00001", "申請中", "自治体機密性3B", "判断を待っています")
	orgNot(t, "request as its requester reads it", body, `id="decide-form"`, "%!")
	if res, _ := post(t, suzukiC, e.srv.URL+path+"/decide", url.Values{"version": {formVersion(body)}, "decision": {"approve"},
		"level": {"LGC3B"}, "admin_person_id": {itoa(mori.ID)}}, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("the 管理者 of another unit deciding: %d", res.StatusCode)
	}
	if res, _ := post(t, satoC, e.srv.URL+path+"/decide", url.Values{"version": {formVersion(body)}, "decision": {"approve"},
		"level": {"LGC3B"}, "admin_person_id": {itoa(mori.ID)}}, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("the requester (staff) deciding: %d", res.StatusCode)
	}

	// 加藤's own request: another 管理者 decides it.
	own := url.Values{}
	for k, v := range form {
		own[k] = v
	}
	own.Set("name", "Web会議")
	res, _ = post(t, katoC, e.srv.URL+"/external-services", own, nil)
	ownPath := res.Header.Get("Location")
	_, body = get(t, katoC, e.srv.URL+ownPath)
	orgWant(t, "own request as its 管理者 reads it", visible(body), "兼務の禁止")
	orgNot(t, "own request as its 管理者 reads it", body, `id="decide-form"`)
	res, body = post(t, katoC, e.srv.URL+ownPath+"/decide", url.Values{"version": {"1"}, "decision": {"approve"},
		"level": {"LGC2"}, "admin_person_id": {itoa(mori.ID)}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("deciding one's own request: %d", res.StatusCode)
	}
	orgWant(t, "own request refused", visible(body), "自分の申請は判断できません")

	_, body = get(t, katoC, e.srv.URL+"/tasks")
	orgWant(t, "加藤's tasks", visible(body), "外部サービスの利用承認", "S-00001 電子申告クラウド")
	_, body = get(t, katoC, e.srv.URL+path)
	decide := between(body, `id="decide-form"`, "</form>")
	orgWant(t, "decision form", decide, `value="`+itoa(mori.ID)+`"`, "森 次郎", `value="LGC3C"`)
	orgNot(t, "decision form", decide, `value="LGC3A"`)
	version := formVersion(decide)
	res, body = post(t, katoC, e.srv.URL+path+"/decide", url.Values{"version": {version}, "decision": {"reject"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("rejection without a reason: %d", res.StatusCode)
	}
	orgWant(t, "rejection without a reason", visible(body), "承認しない理由を記入してください")
	if res, _ = post(t, katoC, e.srv.URL+path+"/decide", url.Values{"version": {version}, "decision": {"approve"}, "level": {"LGC3C"},
		"admin_person_id": {itoa(mori.ID)}, "approval_number": {"税務第118号"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	roles, err := e.db.FindAssignments(ctx, isms.AssignmentFilter{Day: testClock, PersonID: mori.ID})
	if err != nil || len(roles) != 1 || roles[0].RoleCode != isms.RoleCodeExtServiceAdmin || roles[0].UnitID != tax.ID {
		t.Errorf("森's roles after the approval: %+v %v", roles, err)
	}
	if res, _ = post(t, katoC, e.srv.URL+path+"/decide", url.Values{"version": {version}, "decision": {"approve"}, "level": {"LGC3C"},
		"admin_person_id": {itoa(mori.ID)}}, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("deciding twice: %d", res.StatusCode)
	}
	_, body = get(t, satoC, e.srv.URL+path)
	orgWant(t, "approved service", visible(body), "承認済（利用中）", "森 次郎", "税務第118号", "2027年11月25日")
	orgWant(t, "approved service", between(body, `data-testid="approved-level"`, "</dd>"), "自治体機密性3C")

	// A stale edit overwrites nothing.
	_, body = get(t, satoC, e.srv.URL+path+"/edit")
	edit := url.Values{}
	for k, v := range form {
		edit[k] = v
	}
	edit.Set("version", formVersion(body))
	edit.Set("users_scope", "税務課職員及び会計課職員")
	if res, _ = post(t, satoC, e.srv.URL+path, edit, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	edit.Set("users_scope", "上書き")
	if res, body = post(t, satoC, e.srv.URL+path, edit, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("stale edit: %d", res.StatusCode)
	}
	orgWant(t, "stale edit", visible(body), "他の人が先に更新しました")
	_, body = get(t, satoC, e.srv.URL+path)
	orgWant(t, "after the stale edit", visible(body), "税務課職員及び会計課職員")

	// A higher level: it waits beside the approval, in the 要対応 list and 加藤's tasks.
	if res, _ = post(t, satoC, e.srv.URL+path+"/raise", url.Values{"version": {formVersion(between(body, `id="raise-form"`, "</form>"))},
		"raise_level": {"LGC3B"}, "reason": {"課税資料も扱うため"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("raise: %d", res.StatusCode)
	}
	_, body = get(t, katoC, e.srv.URL+"/external-services?attention=1")
	orgWant(t, "要対応 list", visible(body), "電子申告クラウド", "区分引上げの判断待ち")
	_, body = get(t, katoC, e.srv.URL+path)
	orgWant(t, "raise waiting", between(body, `data-testid="approved-level"`, "</dd>"), "自治体機密性3C")
	orgWant(t, "raise waiting", between(body, `id="decide-form"`, "</form>"), `value="LGC3B"`)

	// A shared service is listed for everyone; the unit's page lists its services.
	shared := url.Values{}
	for k, v := range form {
		shared[k] = v
	}
	shared.Set("name", "グループウェア")
	shared.Set("shared", "1")
	if res, _ = post(t, satoC, e.srv.URL+"/external-services", shared, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("shared request: %d", res.StatusCode)
	}
	_, body = get(t, nakamuraC, e.srv.URL+"/external-services")
	orgWant(t, "list as 住民生活課 staff see it", visible(body), "グループウェア", "全庁で利用")
	orgNot(t, "list as 住民生活課 staff see it", body, "電子申告クラウド")
	_, body = get(t, satoC, e.srv.URL+"/units/"+itoa(tax.ID))
	orgWant(t, "税務課's page", visible(body), "外部サービス", "電子申告クラウド", "グループウェア")

	events, _, err := e.db.FindAuditEvents(ctx, isms.SystemActor("test"), isms.AuditFilter{EntityType: "external_service",
		EntityID: regexp.MustCompile(`\d+$`).FindString(path), Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ev := range slices.Backward(events) {
		actions = append(actions, ev.Action)
	}
	if want := []string{"external_service.create", "external_service.approve", "external_service.update",
		"external_service.request_level"}; !slices.Equal(actions, want) {
		t.Errorf("trail = %v, want %v", actions, want)
	}
}
