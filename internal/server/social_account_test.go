package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The social media pages as a small town uses them: 佐藤 of 税務課 registers the tax office's X
// account, first forgetting its owner (the form says so beside the field and keeps what was
// typed), then naming himself; 鈴木 of 住民生活課 does not find it; 佐藤 asks for the opening and
// cannot approve it; 加藤, 税務課's 管理者, approves; 公開 is refused beside the status while the
// listing URL is missing, and accepted once it is recorded; a stale edit is a conflict; the owner
// changes to 加藤, who records a check (佐藤, no longer its owner, may not); the unit's page lists
// the account.
func TestSocialAccountPages(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	life := e.orgUnit(t, "120", "住民生活課", isms.UnitSection, 0)
	sato := e.orgPerson(t, "佐藤 一郎", "0123-45-1101", tax.ID)
	kato := e.orgPerson(t, "加藤 花子", "0123-45-1102", tax.ID)
	suzuki := e.orgPerson(t, "鈴木 三郎", "0123-45-1201", life.ID)
	e.orgAssign(t, kato.ID, isms.RoleCodeISM, tax.ID, false)
	satoC := e.orgSignInAsPerson(t, "sato", sato)
	katoC := e.orgSignInAsPerson(t, "kato", kato)
	suzukiC := e.orgSignInAsPerson(t, "suzuki", suzuki)

	form := url.Values{"platform": {"x"}, "account_name": {"@nanbu_zeimu"}, "url": {"https://x.com/nanbu_zeimu"},
		"unit_id": {itoa(tax.ID)}, "mfa_enabled": {"1"}, "mfa_method": {"認証アプリ"}, "profile_states_unit": {"1"},
		"operating_procedure": {"課長の承認後に投稿する"}, "posting_rules": {"納期のお知らせのみ"},
		"takeover_procedure": {"情報政策係へ連絡する"}, "check_interval_months": {"3"}, "owner_id": {"0"}}
	res, body := post(t, satoC, e.srv.URL+"/social-accounts", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("account without an owner: %d", res.StatusCode)
	}
	orgWant(t, "refused account form", visible(between(body, `id="owner_id-error"`, "</p>")), "サービス責任者を選んでください")
	orgWant(t, "refused account form", body, `value="@nanbu_zeimu"`, "課長の承認後に投稿する")
	form.Set("owner_id", itoa(sato.ID))
	res, _ = post(t, satoC, e.srv.URL+"/social-accounts", form, nil)
	path := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/social-accounts/\d+$`).MatchString(path) {
		t.Fatalf("create account: %d to %q", res.StatusCode, path)
	}
	if res, _ := get(t, suzukiC, e.srv.URL+path); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff of another unit reading the account: %d", res.StatusCode)
	}
	_, body = get(t, suzukiC, e.srv.URL+"/social-accounts")
	orgNot(t, "list as 住民生活課 staff see it", body, "@nanbu_zeimu")

	_, body = get(t, satoC, e.srv.URL+path)
	orgWant(t, "new account", visible(body), "M-00001 @nanbu_zeimu", "開設準備", "佐藤 一郎", "開設の承認を申請する")
	orgWant(t, "new account", body, `href="/incidents/new"`, `href="/static/print.css"`)
	if res, _ := post(t, satoC, e.srv.URL+path+"/opening/request", url.Values{"version": {formVersion(body)}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask for the opening: %d", res.StatusCode)
	}
	_, body = get(t, satoC, e.srv.URL+path)
	orgNot(t, "account as its requester sees it", body, "開設を承認する")
	if res, _ := post(t, satoC, e.srv.URL+path+"/opening/approve", url.Values{"version": {formVersion(body)}}, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff approving their own opening: %d", res.StatusCode)
	}
	_, body = get(t, katoC, e.srv.URL+path)
	orgWant(t, "account as the manager sees it", body, "開設を承認する")
	if res, _ := post(t, katoC, e.srv.URL+path+"/opening/approve", url.Values{"version": {formVersion(body)}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("manager approving: %d", res.StatusCode)
	}

	_, body = get(t, satoC, e.srv.URL+path)
	version := formVersion(body)
	res, body = post(t, satoC, e.srv.URL+path+"/status", url.Values{"version": {version}, "status": {"public"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("public without the listing: %d", res.StatusCode)
	}
	orgWant(t, "refused status", visible(between(body, `id="status-error"`, "</p>")), "公式サイト掲載URLが未記録のため公開できません")

	form.Set("official_listing_url", "https://www.town.nanbu.example/sns.html")
	form.Set("version", version)
	if res, _ := post(t, satoC, e.srv.URL+path, form, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record the listing: %d", res.StatusCode)
	}
	form.Set("account_name", "@stale")
	if res, _ := post(t, katoC, e.srv.URL+path, form, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("stale edit: %d", res.StatusCode)
	}
	_, body = get(t, satoC, e.srv.URL+path)
	orgNot(t, "account after the stale edit", body, "@stale")
	if res, _ := post(t, satoC, e.srv.URL+path+"/status", url.Values{"version": {formVersion(body)}, "status": {"public"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("go public: %d", res.StatusCode)
	}

	_, body = get(t, satoC, e.srv.URL+path)
	if res, _ := post(t, satoC, e.srv.URL+path+"/owner", url.Values{"version": {formVersion(body)}, "person_id": {itoa(kato.ID)},
		"valid_from": {"2026-11-25"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change of owner: %d", res.StatusCode)
	}
	check := url.Values{"checked_on": {"2026-11-25"}, "listing_live": {"1"}, "profile_shows_unit": {"1"}, "mfa_on": {"1"},
		"no_confidential": {"1"}, "no_unknown_sessions": {"1"}}
	if res, _ := post(t, satoC, e.srv.URL+path+"/checks", check, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("check by the former owner: %d", res.StatusCode)
	}
	if res, _ := post(t, katoC, e.srv.URL+path+"/checks", check, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("check: %d", res.StatusCode)
	}
	_, body = get(t, satoC, e.srv.URL+path)
	orgNot(t, "account page", body, "%!")
	orgWant(t, "public account", visible(between(body, `data-testid="owner"`, "</dd>")), "加藤 花子")
	orgWant(t, "public account", visible(between(body, `data-testid="owners"`, "</table>")), "加藤 花子", "現在", "佐藤 一郎")
	orgWant(t, "public account", visible(between(body, `data-testid="checks"`, "</table>")), "異常なし")
	orgWant(t, "public account", visible(body), "公開", "2027年2月25日")

	_, body = get(t, satoC, e.srv.URL+"/units/"+itoa(tax.ID))
	orgWant(t, "unit page", visible(body), "ソーシャルメディアアカウント", "@nanbu_zeimu")
	_, body = get(t, satoC, e.srv.URL+"/social-accounts?attention=1")
	orgWant(t, "要対応 list", visible(body), "該当するアカウントはありません")
}
