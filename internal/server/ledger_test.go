package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// 棚卸 through the pages: the 管理者 of 税務課 confirms its register once in 令和8年度 from the
// unit's page; staff see the status but no button and cannot post it; the 管理者 of another
// section does not find the unit; a second confirmation is refused saying so; the overview shows
// who confirmed what, to the security office for every 課 and to a 管理者 for theirs.
func TestLedgerConfirmationPages(t *testing.T) {
	e := newEnv(t)
	tw := newReqTown(t, e)
	e.reqAsset(t, "課税台帳", tw.tax.ID, "LGC3B")
	e.reqAsset(t, "申告書綴り", tw.tax.ID, "LGC2")
	office, _ := e.loginAs(t, "ito", isms.RoleSecurityOffice, 0)
	unitURL := e.srv.URL + "/units/" + itoa(tw.tax.ID)

	_, body := get(t, tw.kato, unitURL)
	section := visible(between(body, `id="ledger"`, `</section>`))
	for _, want := range []string{"情報資産管理台帳の確認（2026年度）", "未確認", "現在の台帳: 情報資産 2件（うち見直し期限切れ 0件）",
		"2026年度の台帳の内容を確認しました"} {
		if !strings.Contains(section, want) {
			t.Errorf("the 管理者's unit page lacks %q in %q", want, section)
		}
	}
	if !strings.Contains(body, `<label for="ledger-note">`) {
		t.Error("the note has no label")
	}
	_, body = get(t, tw.sato, unitURL)
	if section := between(body, `id="ledger"`, `</section>`); !strings.Contains(section, "未確認") || strings.Contains(section, "<form") {
		t.Errorf("staff's view of the ledger section: %q", visible(section))
	}
	if res, _ := post(t, tw.sato, unitURL+"/ledger", url.Values{"note": {""}}, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff confirming: %d, want 403", res.StatusCode)
	}
	if res, _ := post(t, tw.suzuki, unitURL+"/ledger", url.Values{"note": {""}}, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("管理者 of 住民生活課 confirming 税務課: %d, want 404", res.StatusCode)
	}
	if res, _ := post(t, tw.kato, unitURL+"/ledger", url.Values{"note": {""}}, map[string]string{"Sec-Fetch-Site": "cross-site"}); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin confirmation: %d, want 403", res.StatusCode)
	}

	res, _ := post(t, tw.kato, unitURL+"/ledger", url.Values{"note": {"申告書綴りの保存場所を見直す"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/units/"+itoa(tw.tax.ID)+"#ledger" {
		t.Fatalf("confirmation: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, tw.sato, unitURL)
	section = visible(between(body, `id="ledger"`, `</section>`))
	for _, want := range []string{"試験 kato が 2026年11月25日 に確認しました。", "確認時の情報資産は 2件（うち見直し期限切れ 0件）", "申告書綴りの保存場所を見直す"} {
		if !strings.Contains(section, want) {
			t.Errorf("unit page after confirmation lacks %q in %q", want, section)
		}
	}

	// Twice in a year: refused, saying who confirmed it already.
	res, body = post(t, tw.mori, unitURL+"/ledger", url.Values{"note": {"再確認"}}, nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "2026年度の台帳は既に確認済みです。確認は年度に1回です。") ||
		!strings.Contains(visible(body), "試験 kato が 2026年11月25日 に確認しました。") {
		t.Errorf("second confirmation: %d %q", res.StatusCode, visible(between(body, "<main", "</main>")))
	}

	// The overview.
	_, body = get(t, office, e.srv.URL+"/ledger")
	text := visible(between(body, "<table", "</table>"))
	for _, want := range []string{"2026年度 情報資産管理台帳の確認状況（2026年11月25日 現在）", "税務課 確認済 試験 kato 2026年11月25日 2 0 申告書綴りの保存場所を見直す", "住民生活課 未確認"} {
		if !strings.Contains(text, want) {
			t.Errorf("overview lacks %q in %q", want, text)
		}
	}
	if !strings.Contains(body, "確認済 1 / 2課") || !strings.Contains(body, `href="/static/print.css" media="print"`) {
		t.Error("overview: count or print styles missing")
	}
	if _, body := get(t, office, e.srv.URL+"/ledger?fy=2025"); !strings.Contains(visible(body), "2025年度 情報資産管理台帳の確認状況") || strings.Contains(body, "確認済 1") {
		t.Error("the previous fiscal year shows this year's confirmation")
	}
	_, body = get(t, tw.suzuki, e.srv.URL+"/ledger")
	if text := visible(between(body, "<table", "</table>")); !strings.Contains(text, "住民生活課 未確認") || strings.Contains(text, "税務課") {
		t.Errorf("overview of the 管理者 of 住民生活課: %q", text)
	}
	if res, _ := get(t, tw.sato, e.srv.URL+"/ledger"); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff reading the overview: %d, want 403", res.StatusCode)
	}
	if _, body := get(t, tw.sato, e.srv.URL+"/"); strings.Contains(body, `href="/ledger"`) {
		t.Error("staff have the overview in their menu")
	}
	if !slices.Contains(e.auditActions(t), "ledger.confirm") {
		t.Error("no ledger.confirm in the audit trail")
	}
}
