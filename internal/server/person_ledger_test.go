package server_test

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/jichitai-isms/isms/internal/isms"
)

// sjis is text as a town's personnel system exports it, in Shift_JIS.
func sjis(t *testing.T, s string) []byte {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The security office loads the 職員名簿 from a Shift_JIS CSV with 和暦 dates and units by name or
// code: the people are registered with their first posting and the directory lists them. A later
// file that updates by 職員番号 and would post someone elsewhere is refused beside the 所属 with
// the way to the 人事異動 page, and changes nobody.
func TestImportStaffDirectory(t *testing.T) {
	e := newImportEnv(t)
	tanaka := e.personFixture(t, "A1", "田中 一郎", "タナカ イチロウ", e.tax.ID, "2024-04-01")
	_, body := get(t, e.office, e.srv.URL+"/people")
	personWant(t, "directory", body, `href="/imports?kind=people"`, "名簿を取り込む")

	file := sjis(t, "職員番号,氏名,よみがな,所属,任用区分,在職開始日\r\n"+
		"E101,山田 太郎,やまだ たろう,税務課,正規職員,令和8年4月1日\r\n"+
		"E102,鈴木 花子,スズキ ハナコ,120,会計年度任用職員,R8.4.1\r\n")
	before := e.auditActions(t)
	path, body := e.uploadAndCheck(t, "people", "職員名簿.csv", file, "add")
	personWant(t, "the page", body, "Shift_JIS")
	personWant(t, "the preview", between(body, `data-testid="import-ready"`, "</table>"),
		"<td>やまだ たろう</td>", "<td>税務課</td>", "<td>住民課</td>", "<td>会計年度任用職員</td>", "<td>2026年4月1日</td>")
	body = e.commitImport(t, path, body)
	personWant(t, "the page after the write", body, "2件を登録しました", `href="/people"`)

	_, body = get(t, e.office, e.srv.URL+"/people")
	personWant(t, "directory after the import", body, "3 件", "山田 太郎", "鈴木 花子")
	_, body = get(t, e.office, e.srv.URL+"/people?unit="+itoa(e.life.ID))
	personWant(t, "住民課 after the import", body, "1 件", "鈴木 花子")
	after := e.auditActions(t)[len(before):]
	if countOf(after, "person.import") != 1 || countOf(after, "person.create") != 0 {
		t.Errorf("audit trail of the import: %v", after)
	}

	update := sjis(t, "職員番号,電話番号,所属\r\nE101,201,税務課\r\nA1,202,住民課\r\n")
	_, body = e.uploadAndCheck(t, "people", "電話番号.csv", update, "update")
	personWant(t, "the update's check", body, `<td class="num">3</td><td>所属</td><td>住民課</td>`, "人事異動の画面で",
		"2行のうち、1件の誤りがあります")
	people, _, _, err := e.db.FindPeople(context.Background(), system, isms.PersonFilter{Day: testClock, Query: "E101"})
	if err != nil || len(people) != 1 || people[0].Phone != "" {
		t.Errorf("the refused update changed someone: %+v %v", people, err)
	}
	if p, err := e.db.FindPerson(context.Background(), system, tanaka.ID, testClock); err != nil || p.UnitID != e.tax.ID || p.Phone != "" {
		t.Errorf("田中 after the refused update: %+v %v", p, err)
	}
	if strings.Contains(body, `/commit"`) { // the write form's action, not the menu's /committee
		t.Error("a file with a bad row is offered for the write")
	}
}
