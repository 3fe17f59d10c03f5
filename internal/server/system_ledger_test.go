package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// commitImport writes a checked import from its page and returns the page once the write is done.
func (e *importEnv) commitImport(t *testing.T, path, body string) string {
	t.Helper()
	if !strings.Contains(body, `data-testid="import-ready"`) {
		t.Fatalf("the import is not ready: %s", between(body, `<main`, `</main>`))
	}
	form := url.Values{"version": {versionField.FindStringSubmatch(body)[1]}}
	if res, _ := post(t, e.office, e.srv.URL+path+"/commit", form, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("commit: status %d", res.StatusCode)
	}
	return e.waitImport(t, e.office, path)
}

// uploadAndCheck uploads a file of kind and checks it in mode with the mapping found.
func (e *importEnv) uploadAndCheck(t *testing.T, kind, name string, file []byte, mode string) (path, body string) {
	t.Helper()
	res, _ := upload(t, e.office, e.srv.URL, kind, name, file)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload of %s: status %d", name, res.StatusCode)
	}
	path = res.Header.Get("Location")
	_, body = get(t, e.office, e.srv.URL+path)
	return path, e.check(t, path, body, mode, nil)
}

func countOf(actions []string, action string) int {
	return len(slices.DeleteFunc(slices.Clone(actions), func(a string) bool { return a != action }))
}

// The security office moves the town's 情報システム台帳 in from a UTF-8 CSV with a BOM, as Excel
// saves it. A file naming as 情報システム管理者 someone who does not hold the role is refused with
// the form's message beside the column; the corrected file is previewed with units and choices by
// name, written at once as one audit event, and the register lists both systems.
func TestImportSystemRegister(t *testing.T) {
	e := newImportEnv(t)
	admin := e.personFixture(t, "E001", "税務 課長", "ゼイム カチョウ", e.tax.ID, "2020-04-01")
	e.orgAssign(t, admin.ID, isms.RoleCodeSystemAdmin, e.tax.ID, false)
	e.personFixture(t, "E002", "住民 一郎", "ジュウミン イチロウ", e.life.ID, "2020-04-01")
	file := func(adminNo string) []byte {
		return []byte("\uFEFFシステム番号,システム名称,主管課,情報システム管理者,配置区分,形態,多要素認証,契約終了日\r\n" +
			"SYS-001,税務システム,110," + adminNo + ",LGWAN接続系,庁内設置,○,2031/3/31\r\n" +
			"SYS-002,住民記録システム,住民課,,マイナンバー利用事務系,ガバメントクラウド,○,令和13年3月31日\r\n")
	}
	_, body := get(t, e.office, e.srv.URL+"/systems")
	personWant(t, "register", body, `href="/imports?kind=systems"`, "台帳を取り込む")

	_, body = e.uploadAndCheck(t, "systems", "情報システム台帳.csv", file("E002"), "add")
	personWant(t, "the check", body, `<td class="num">2</td><td>情報システム管理者</td><td>E002</td>`,
		"情報システム管理者の役割を担っていません", "2行のうち、1件の誤りがあります")
	if strings.Contains(body, `/commit"`) { // the write form's action, not the menu's /committee
		t.Error("a file with a bad row is offered for the write")
	}

	before := e.auditActions(t)
	path, body := e.uploadAndCheck(t, "systems", "情報システム台帳.csv", file("E001"), "add")
	personWant(t, "the preview", between(body, `data-testid="import-ready"`, "</table>"),
		"<td>税務課</td>", "<td>E001</td>", "<td>LGWAN接続系</td>", "<td>庁内設置</td>", "<td>○</td>", "<td>2031年3月31日</td>",
		"<td>住民課</td>", "<td>ガバメントクラウド</td>")
	body = e.commitImport(t, path, body)
	personWant(t, "the page after the write", body, "2件を登録しました", `href="/systems"`)

	_, body = get(t, e.office, e.srv.URL+"/systems")
	personWant(t, "register after the import", body, "2 件", "税務システム", "住民記録システム")
	after := e.auditActions(t)[len(before):]
	if countOf(after, "system.import") != 1 || countOf(after, "system.create") != 0 {
		t.Errorf("audit trail of the import: %v", after)
	}
}
