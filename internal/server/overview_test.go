package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jichitai-isms/isms/internal/isms"
)

// ovTown is two 課 whose measures differ: 税務課 (110) has confirmed its register of one sound
// asset, 住民生活課 (120) has not, and its one asset is flagged 要確認 (integrity 2 without a
// backup method). The worse unit comes second in the organisation's order, so that sorting by a
// measure visibly moves it.
type ovTown struct {
	reqTown
	office *http.Client
}

func newOvTown(t *testing.T, e *testEnv) ovTown {
	t.Helper()
	tw := ovTown{reqTown: newReqTown(t, e)}
	e.reqAsset(t, "課税台帳", tw.tax.ID, "LGC2")
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	due := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	if _, _, err := e.db.CreateAsset(context.Background(), system, isms.AssetInput{
		Name: "住民票交付記録", Type: "INFO_ELECTRONIC", UnitID: tw.life.ID, Form: isms.FormElectronic, Zone: isms.ZoneLGWAN,
		C: "LGC2", I: "LGI2", A: "LGA1", Status: isms.AssetInUse, ClassifiedAt: &from, ReviewDue: &due}); err != nil {
		t.Fatal(err)
	}
	if res, _ := post(t, tw.kato, e.srv.URL+"/units/"+itoa(tw.tax.ID)+"/ledger", url.Values{"note": {""}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirming 税務課's ledger: %d", res.StatusCode)
	}
	tw.office, _ = e.loginAs(t, "ito", isms.RoleSecurityOffice, 0)
	return tw
}

// ovRows are the visible texts of the table body's rows, in order.
func ovRows(body string) []string {
	var rows []string
	for _, tr := range strings.Split(between(body, "<tbody>", "</tbody>"), "<tr")[1:] {
		rows = append(rows, visible("<tr"+tr))
	}
	return rows
}

// ovHeader is the opening tag of the column header whose link sorts by key.
func ovHeader(body, key string) string {
	body = between(body, "<thead>", "</thead>")
	i := strings.Index(body, "&amp;sort="+key+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], "<th")
	return body[start : strings.Index(body[start:], ">")+start+1]
}

// The page shows every unit with its figures and states in words, each cell leading to its list;
// a total follows. Sorting by a measure puts the worse unit first, asc reverses it, and the
// sorted header says so. Staff and a 管理者 are refused; a bad sort is 400.
func TestOverviewPage(t *testing.T) {
	e := newEnv(t)
	tw := newOvTown(t, e)
	base := e.srv.URL + "/dashboard/units"

	res, body := get(t, tw.office, base)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("overview: %d", res.StatusCode)
	}
	orgWant(t, "overview", body, "<h1>対策状況の一覧</h1>", `<label for="fy">年度</label>`,
		`<a href="/dashboard/units.xlsx?dir=asc&amp;fy=2026&amp;sort=code">`,
		`<th scope="row"><a href="/units/`+itoa(tw.life.ID)+`">住民生活課</a></th>`,
		`<a href="/assets?unit=`+itoa(tw.life.ID)+`&amp;flagged=1">`, `<th scope="col" class="num"`)
	orgWant(t, "overview caption", visible(between(body, "<caption>", "</caption>")), "2026年度 組織別の対策状況（2026年11月25日 現在）")
	rows := ovRows(body)
	if len(rows) != 2 {
		t.Fatalf("rows: %q", rows)
	}
	orgWant(t, "税務課's row", rows[0], "110 税務課 1 0件 良好 0件 良好 確認済 良好")
	orgWant(t, "住民生活課's row", rows[1], "120 住民生活課 1 1件 注意 0件 良好 未確認 注意")
	orgWant(t, "total", visible(between(body, "<tfoot>", "</tfoot>")), "合計（2組織） 2 1件 注意 0件 良好 未確認 注意")
	flagged := `href="/assets?unit=` + itoa(tw.life.ID) + `&amp;flagged=1"`
	if i := strings.Index(body, flagged); i < 0 {
		t.Error("住民生活課's flagged cell has no link")
	} else if td := body[strings.LastIndex(body[:i], "<td"):i]; !strings.Contains(td, "heat-watch") {
		t.Errorf("住民生活課's flagged cell lacks its state class: %q", td)
	}
	if h := ovHeader(body, "code"); !strings.Contains(h, `aria-sort="ascending"`) {
		t.Errorf("the organisation's order is not marked on the code header: %q", h)
	}
	if h := ovHeader(body, "flagged"); strings.Contains(h, "aria-sort") {
		t.Errorf("an unsorted header has aria-sort: %q", h)
	}
	if !strings.Contains(body, `href="/dashboard/units?dir=desc&amp;fy=2026&amp;sort=flagged"`) {
		t.Error("a measure's header does not sort it worst first")
	}

	// By a measure: worst first, then reversed.
	_, body = get(t, tw.office, base+"?fy=2026&sort=flagged")
	if rows := ovRows(body); len(rows) != 2 || !strings.Contains(rows[0], "住民生活課") {
		t.Errorf("sorted by 要確認: %q", rows)
	}
	if h := ovHeader(body, "flagged"); !strings.Contains(h, `aria-sort="descending"`) {
		t.Errorf("sorted header: %q", h)
	}
	if h := ovHeader(body, "code"); strings.Contains(h, "aria-sort") {
		t.Errorf("the code header still claims the sort: %q", h)
	}
	orgWant(t, "sorted page", body, `href="/dashboard/units?dir=asc&amp;fy=2026&amp;sort=flagged"`,
		`<input type="hidden" name="sort" value="flagged">`, `<a href="/dashboard/units.xlsx?dir=desc&amp;fy=2026&amp;sort=flagged">`)
	_, body = get(t, tw.office, base+"?fy=2026&sort=flagged&dir=asc")
	if rows := ovRows(body); len(rows) != 2 || !strings.Contains(rows[0], "税務課") {
		t.Errorf("sorted by 要確認 ascending: %q", rows)
	}
	if h := ovHeader(body, "flagged"); !strings.Contains(h, `aria-sort="ascending"`) {
		t.Errorf("ascending header: %q", h)
	}
	_, body = get(t, tw.office, base+"?sort=ledger&dir=desc")
	if rows := ovRows(body); len(rows) != 2 || !strings.Contains(rows[0], "住民生活課") {
		t.Errorf("sorted by the ledger: %q", rows)
	}
	_, body = get(t, tw.office, base+"?sort=code&dir=desc")
	if rows := ovRows(body); len(rows) != 2 || !strings.Contains(rows[0], "住民生活課") {
		t.Errorf("sorted by code descending: %q", rows)
	}

	// Another year: this year's confirmation is not there.
	_, body = get(t, tw.office, base+"?fy=2025")
	orgWant(t, "2025", visible(between(body, "<caption>", "</caption>")), "2025年度")
	if rows := ovRows(body); len(rows) != 2 || !strings.Contains(rows[0], "税務課 1 0件 良好 0件 良好 未確認 注意") {
		t.Errorf("2025: %q", rows)
	}

	for _, q := range []string{"?sort=password", "?sort=flagged&dir=up", "?fy=2030", "?fy=x"} {
		if res, _ := get(t, tw.office, base+q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, res.StatusCode)
		}
	}
	for name, c := range map[string]*http.Client{"staff": tw.sato, "管理者": tw.kato} {
		for _, u := range []string{base, base + ".xlsx"} {
			if res, _ := get(t, c, u); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s reading %s: %d, want 403", name, u, res.StatusCode)
			}
		}
	}
	// The overview is reached from the dashboard only.
	if _, body := get(t, tw.office, e.srv.URL+"/"); strings.Contains(body, `href="/dashboard/units`) {
		t.Error("the home page links the overview")
	}
}

// The workbook has the page's rows in the page's order, with the raw figures and a total.
func TestOverviewWorkbook(t *testing.T) {
	e := newEnv(t)
	tw := newOvTown(t, e)

	res, body := get(t, tw.office, e.srv.URL+"/dashboard/units.xlsx?fy=2026&sort=flagged&dir=desc")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("workbook: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, url.PathEscape("対策状況一覧_2026年度.xlsx")) {
		t.Errorf("file name: %q", cd)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("対策状況一覧")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("rows: %q", rows)
	}
	if !strings.Contains(rows[0][0], "2026年度 対策状況一覧") {
		t.Errorf("title: %q", rows[0])
	}
	want := [][]string{
		{"組織コード", "組織名", "情報資産数", "要確認", "見直し期限切れ", "台帳確認", "研修の受講対象 (延べ)", "研修の受講済 (延べ)", "受講率 (%)",
			"対応中インシデント", "うち重大", "PPC報告期限超過", "是正措置期限超過", "承認待ち", "点検票", "提出済", "点検スコア (%)",
			"役割の欠員", "委託契約の要対応", "外部サービスの要対応"},
		{"120", "住民生活課", "1", "1", "0", "×"},
		{"110", "税務課", "1", "0", "0", "○"},
		{"合計", "", "2", "1", "0", "×"},
	}
	for i, w := range want {
		got := rows[i+1]
		if len(got) < len(w) {
			t.Errorf("row %d: %q, want %q", i+2, got, w)
			continue
		}
		for j := range w {
			if got[j] != w[j] {
				t.Errorf("row %d column %d: %q, want %q", i+2, j+1, got[j], w[j])
			}
		}
	}
	// Nobody answered a self-inspection: the scores are empty, not 0; the other counts are 0.
	for _, row := range rows[2:] {
		if len(row) > 16 && row[16] != "" {
			t.Errorf("%s: score %q, want empty", row[1], row[16])
		}
		if len(row) > 19 && (row[17] != "0" || row[18] != "0" || row[19] != "0") {
			t.Errorf("%s: roles and outsourcing %q", row[1], row[17:])
		}
	}
	// A number cell carries no string type (excelize reads it as unset or number).
	if n, err := f.GetCellType("対策状況一覧", "C3"); err != nil || n == excelize.CellTypeSharedString || n == excelize.CellTypeInlineString {
		t.Errorf("asset count not written as a number: %v %v", n, err)
	}

	// Ascending: reversed, the total still last.
	_, body = get(t, tw.office, e.srv.URL+"/dashboard/units.xlsx?fy=2026&sort=flagged&dir=asc")
	f2, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	rows, _ = f2.GetRows("対策状況一覧")
	if len(rows) != 5 || rows[2][1] != "税務課" || rows[3][1] != "住民生活課" || rows[4][0] != "合計" {
		t.Errorf("ascending workbook: %q", rows)
	}
}

// The page and the workbook speak English to an English reader.
func TestOverviewInEnglish(t *testing.T) {
	e := newEnv(t)
	tw := newOvTown(t, e)
	if res, _ := post(t, tw.office, e.srv.URL+"/lang", url.Values{"lang": {"en"}, "next": {"/dashboard/units"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch to English: %d", res.StatusCode)
	}
	res, body := get(t, tw.office, e.srv.URL+"/dashboard/units?sort=ledger")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("overview in English: %d", res.StatusCode)
	}
	orgWant(t, "English overview", body, `<html lang="en">`, "<h1>Security measures by unit</h1>",
		"Download as Excel (.xlsx)", `<label for="fy">Fiscal year</label>`, "(sort ascending)")
	orgWant(t, "English caption", visible(between(body, "<caption>", "</caption>")), "Security measures of every unit, FY2026 (as of 2026-11-25)")
	rows := ovRows(body)
	if len(rows) != 2 {
		t.Fatalf("rows: %q", rows)
	}
	orgWant(t, "English row", rows[0], "120 住民生活課 1 1 Watch 0 Good Not confirmed Watch")
	orgWant(t, "English total", visible(between(body, "<tfoot>", "</tfoot>")), "Total (2 units)")
	orgNot(t, "English overview", visible(between(body, "<main", "</main>")), "要対応", "良好", "件")

	res, body = get(t, tw.office, e.srv.URL+"/dashboard/units.xlsx?sort=ledger")
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "security-overview_FY2026.xlsx") {
		t.Errorf("English file name: %q", cd)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if rows, err := f.GetRows("Security overview"); err != nil || len(rows) != 5 || rows[1][0] != "Unit code" || rows[4][0] != "Total" {
		t.Errorf("English workbook: %q %v", rows, err)
	}
}
