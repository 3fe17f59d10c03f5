package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// uploadRotationList posts personnel's rotation list for a rotation to the import form.
func uploadRotationList(t *testing.T, c *http.Client, base, rotation, content string) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("kind", "rotation")
	mw.WriteField("rotation", rotation)
	fw, _ := mw.CreateFormFile("file", "異動一覧.csv")
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/imports", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// The April list from personnel is imported from the draft rotation's page: a number nobody has
// and a unit that does not exist are reported on their rows and nothing is added; the corrected
// list becomes the sheet's moves and hand-overs, and applying the sheet moves the people.
func TestRotationListImportedIntoTheSheet(t *testing.T) {
	e := newEnv(t)
	tw := newRotTown(t, e)
	ctx := context.Background()
	from := time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)
	person := func(no, name string, u isms.Unit) isms.Person {
		p, err := e.db.CreatePerson(ctx, system, isms.PersonInput{EmployeeNo: no, Name: name, Employment: isms.EmploymentRegular,
			ValidFrom: &from, UnitID: u.ID})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	kimura, hayashi := person("E301", "木村 一郎", tw.general), person("E302", "林 花子", tw.life)
	if _, err := e.db.CreateAssignment(ctx, system, isms.AssignmentInput{PersonID: kimura.ID, RoleCode: isms.RoleCodeISM,
		UnitID: tw.general.ID, ValidFrom: &from}); err != nil {
		t.Fatal(err)
	}

	sheet := tw.createRotation(t, e, "令和9年4月1日付 定期人事異動", "2027-04-01")
	id := strings.TrimPrefix(sheet, "/rotations/")
	_, body := get(t, tw.office, e.srv.URL+sheet)
	rotWant(t, "draft sheet", body, `href="/imports?kind=rotation&amp;rotation=`+id+`"`, "異動一覧を取り込む")

	res, body := get(t, tw.office, e.srv.URL+"/imports?kind=rotation&rotation="+id)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("import form: %d", res.StatusCode)
	}
	rotWant(t, "import form", body, "取込み先: 令和9年4月1日付 定期人事異動 (異動日 2027年4月1日)",
		`<input type="hidden" name="rotation" value="`+id+`">`, `value="rotation" checked`, `href="/imports/template/rotation"`)
	if strings.Contains(body, `value="assets"`) {
		t.Error("the import form of a rotation offers other registers")
	}
	if _, body = get(t, tw.office, e.srv.URL+"/imports"); strings.Contains(body, `value="rotation"`) {
		t.Error("the plain import form offers a rotation list without its rotation")
	}
	if res, _ := get(t, tw.office, e.srv.URL+"/imports/template/rotation"); res.StatusCode != http.StatusOK {
		t.Errorf("rotation list template: %d", res.StatusCode)
	}

	ie := &importEnv{testEnv: e, office: tw.office}
	const head = "職員番号,氏名,異動後所属,役割,役割の開始/終了\n"
	good := "E301,木村 一郎,税務課,情報セキュリティ管理者,終了\nE302,林 花子,112,情報セキュリティ管理者,開始\n"
	res = uploadRotationList(t, tw.office, e.srv.URL, id, head+good+"X999,誰か,総務課,,\nE302,林 花子,企画課,,\n")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	_, body = get(t, tw.office, e.srv.URL+path)
	body = ie.check(t, path, body, "add", nil)
	rotWant(t, "problems", body,
		`<td class="num">4</td><td>職員番号</td><td>X999</td><td>この職員番号の職員等は登録されていません。</td>`,
		`<td class="num">5</td><td>異動後所属</td><td>企画課</td><td>この名称又はコードの所属が見つかりません</td>`)
	if strings.Contains(body, `/commit"`) { // the write form's action, not the menu's /committee
		t.Error("a list with bad rows is offered for the write")
	}

	res = uploadRotationList(t, tw.office, e.srv.URL, id, head+good)
	path = res.Header.Get("Location")
	_, body = get(t, tw.office, e.srv.URL+path)
	body = ie.check(t, path, body, "add", nil)
	rotWant(t, "preview", visible(body), "E301 木村 一郎 税務課 情報セキュリティ管理者 役割の終了",
		"E302 林 花子 総務課 情報セキュリティ管理者 役割の開始")
	res, _ = post(t, tw.office, e.srv.URL+path+"/commit", url.Values{"version": {versionField.FindStringSubmatch(body)[1]}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("commit: %d", res.StatusCode)
	}
	body = ie.waitImport(t, tw.office, path)
	rotWant(t, "done", body, "2件を登録しました。", `href="/rotations/`+id+`"`, "人事異動を開く")

	_, body = get(t, tw.office, e.srv.URL+sheet)
	moves := visible(between(body, `id="moves"`, "</section>"))
	rotWant(t, "moves", moves, "1 木村 一郎 総務課 → 税務課", "2 林 花子 住民生活課 → 総務課")
	handovers := visible(between(body, `id="handovers"`, "</section>"))
	rotWant(t, "hand-overs", handovers, "木村 一郎", "林 花子", "情報セキュリティ管理者")

	version := between(between(body, `id="apply"`, "</section>"), `name="version" value="`, `"`)
	res, _ = post(t, tw.office, e.srv.URL+sheet+"/apply", url.Values{"version": {version}, "confirm": {"yes"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d", res.StatusCode)
	}
	day := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	if h := rotHolders(t, e, tw.general.ID, day); !slices.Equal(h, []string{"林 花子"}) {
		t.Errorf("1 April: 総務課's 管理者 %v, want 林 花子", h)
	}
	if h := rotHolders(t, e, tw.general.ID, day.AddDate(0, 0, -1)); !slices.Equal(h, []string{"木村 一郎"}) {
		t.Errorf("31 March: 総務課's 管理者 %v, want 木村 一郎", h)
	}
	for _, c := range []struct {
		p    isms.Person
		unit string
	}{{kimura, "税務課"}, {hayashi, "総務課"}} {
		postings, err := e.db.FindPostings(ctx, c.p.ID)
		if err != nil || len(postings) != 2 || postings[0].UnitName != c.unit {
			t.Errorf("%s's postings: %+v %v, want the latest in %s", c.p.Name, postings, err, c.unit)
		}
	}

	// Applied, the sheet takes no more lines: no link, and the import form refuses it.
	_, body = get(t, tw.office, e.srv.URL+sheet)
	if strings.Contains(body, "kind=rotation") {
		t.Error("the applied sheet offers an import")
	}
	if res, _ := get(t, tw.office, e.srv.URL+"/imports?kind=rotation&rotation="+id); res.StatusCode != http.StatusConflict {
		t.Errorf("import form of an applied rotation: %d", res.StatusCode)
	}
	if res := uploadRotationList(t, tw.office, e.srv.URL, id, head+good); res.StatusCode != http.StatusConflict {
		t.Errorf("upload into an applied rotation: %d", res.StatusCode)
	}
}
