package server_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// postMultipart sends a form with one file as a browser on the same site would.
func postMultipart(t *testing.T, c *http.Client, u string, form url.Values, field, name string, content []byte) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, u, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// contractForm is the contract form of 税務課's maintenance contract, its check due on 2026-12-10.
func contractForm(unit int64) url.Values {
	return url.Values{"contractor_name": {"株式会社北日本システム"}, "unit_id": {itoa(unit)}, "title": {"税務システム保守業務委託"},
		"period_from": {"2026-04-01"}, "period_to": {"2027-03-31"}, "scope": {"税務システムの保守"},
		"personal_data": {"my_number"}, "report_every_months": {"0"}, "next_check_due": {"2026-12-10"}, "version": {"0"}}
}

// The register as 税務課 uses it: 佐藤 (staff) registers a contract, first refused with what he
// typed, ticks 12 of the 13 clauses, and the 要対応 list shows it with ⑨ missing; 鈴木 of 住民生活課
// does not find it; 加藤, 税務課's 管理者, has the check due as a task and records it, which 佐藤
// may not; a stale edit is a conflict; the contract ends with its certificate.
func TestContractPages(t *testing.T) {
	e := newEnv(t)
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	life := e.orgUnit(t, "120", "住民生活課", isms.UnitSection, 0)
	kato := e.orgPerson(t, "加藤 花子", "0123-45-1102", tax.ID)
	e.orgAssign(t, kato.ID, isms.RoleCodeISM, tax.ID, false)
	sato, _ := e.loginAs(t, "sato", isms.RoleStaff, tax.ID)
	suzuki, _ := e.loginAs(t, "suzuki", isms.RoleStaff, life.ID)
	katoC := e.orgSignInAsPerson(t, "kato", kato)

	form := contractForm(tax.ID)
	form.Set("subcontracting", "1")
	res, body := post(t, sato, e.srv.URL+"/contracts", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("subcontracting without its details: %d", res.StatusCode)
	}
	orgWant(t, "refused form", body, `value="税務システム保守業務委託"`, `id="subcontractor-error"`, "再委託先を入力してください。")
	form.Del("subcontracting")
	res, _ = post(t, sato, e.srv.URL+"/contracts", form, nil)
	path := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/contracts/\d+$`).MatchString(path) {
		t.Fatalf("create: %d to %q", res.StatusCode, path)
	}
	_, body = get(t, sato, e.srv.URL+path)
	orgWant(t, "new contract", visible(body), "K-00001", "契約に記載済みの項目：0 / 13", "株式会社北日本システム", "特定個人情報")

	clauses := url.Values{"version": {formVersion(body)}}
	for n := 1; n <= 13; n++ {
		if n != 9 {
			clauses.Set("clause_"+itoa(int64(n)), "1")
		}
	}
	if res, _ := post(t, sato, e.srv.URL+path+"/clauses", clauses, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("clauses: %d", res.StatusCode)
	}
	_, body = get(t, sato, e.srv.URL+path)
	orgWant(t, "clause ⑨", visible(between(body, `data-clause="9"`, "</tr>")), "未記載")
	orgNot(t, "clause ⑧", visible(between(body, `data-clause="8"`, "</tr>")), "未記載")
	_, body = get(t, sato, e.srv.URL+"/contracts?attention=1")
	orgWant(t, "要対応 list", visible(between(body, `data-number="K-00001"`, "</tr>")), "契約条項の未記載：⑨")

	if res, _ := get(t, suzuki, e.srv.URL+path); res.StatusCode != http.StatusNotFound {
		t.Errorf("another unit's staff: %d", res.StatusCode)
	}
	_, body = get(t, katoC, e.srv.URL+"/tasks")
	orgWant(t, "加藤's tasks", visible(body), "委託先の定期確認", "K-00001 税務システム保守業務委託")

	check := url.Values{"checked_on": {"2026-11-20"}, "method": {"onsite"}, "result": {"conforming"}, "next_due": {"2027-05-20"}}
	if res, _ := post(t, sato, e.srv.URL+path+"/checks", check, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff recording a check: %d", res.StatusCode)
	}
	if res, _ := post(t, katoC, e.srv.URL+path+"/checks", check, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the 管理者's check: %d", res.StatusCode)
	}
	_, body = get(t, katoC, e.srv.URL+"/tasks")
	orgNot(t, "加藤's tasks after the check", visible(body), "委託先の定期確認")

	_, body = get(t, sato, e.srv.URL+"/units/"+itoa(tax.ID))
	orgWant(t, "the unit's page", visible(between(body, `id="contracts-h"`, "</section>")), "K-00001", "契約条項の未記載：⑨")

	// The edit form was loaded before the check; saving it now would overwrite the next check.
	form.Set("version", clauses.Get("version"))
	form.Set("title", "古い画面からの変更")
	res, body = post(t, sato, e.srv.URL+path, form, nil)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale edit: %d", res.StatusCode)
	}
	orgWant(t, "stale edit", body, "他の人が先に変更しました", `value="古い画面からの変更"`)

	_, body = get(t, sato, e.srv.URL+path)
	end := url.Values{"version": {formVersion(between(body, `id="end"`, "</form>"))}, "ended_on": {"2026-11-24"},
		"returned_on": {"2026-11-25"}, "return_method": {"媒体の返却と消去証明"}}
	if res := postMultipart(t, sato, e.srv.URL+path+"/end", end, "certificate", "消去証明書.pdf", []byte("%PDF-1.7\n%")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end: %d", res.StatusCode)
	}
	res, body = get(t, sato, e.srv.URL+path+"/certificate")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
		t.Errorf("certificate: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, _ := get(t, suzuki, e.srv.URL+path+"/certificate"); res.StatusCode != http.StatusNotFound {
		t.Errorf("another unit's staff downloads the certificate: %d", res.StatusCode)
	}
	_, body = get(t, sato, e.srv.URL+path)
	orgWant(t, "ended contract", visible(between(body, `id="end"`, "</section>")), "消去証明書.pdf", "媒体の返却と消去証明")
}
