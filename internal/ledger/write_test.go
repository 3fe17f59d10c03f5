package ledger

import (
	"archive/zip"
	"bytes"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"
)

// assetSheet is a short asset register as an export writes it.
func assetSheet() Sheet {
	cols := AssetLayout.Columns[:5]
	var headers []string
	for _, c := range cols {
		headers = append(headers, c.Aliases[len(c.Aliases)-2]) // the Japanese label
	}
	cols = append(cols, Column{Key: "classified_at", Width: 12}, Column{Key: "data_subjects", Width: 10})
	headers = append(headers, "分類決定日", "本人数 (概数)")
	subjects := 12000
	return Sheet{
		Name: "情報資産", Title: "情報資産管理台帳", Columns: cols, Headers: headers,
		Rows: [][]any{
			{"A-0000001", "住民基本台帳ファイル", "情報（電子データ）", "住民基本台帳の記載事項", "住民課",
				time.Date(2026, 4, 1, 0, 0, 0, 0, time.FixedZone("JST", 9*3600)), &subjects},
			{"A-0000002", "=1+1", "情報（紙文書）", nil, "税務課", (*time.Time)(nil), 300},
			{"A-0000003", "@SUM(A1)", "電磁的記録媒体", "-", "税務課", time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC), nil},
		},
	}
}

func TestWriteXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, assetSheet()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "情報資産"
	if got := f.GetSheetList(); !slices.Equal(got, []string{sheet}) {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "情報資産管理台帳" {
		t.Fatalf("rows %q: want the title, the header and 3 rows", rows)
	}
	if want := []string{"資産番号", "情報資産名", "資産種別", "概要・用途", "所管課", "分類決定日", "本人数 (概数)"}; !slices.Equal(rows[1], want) {
		t.Errorf("header %q, want %q", rows[1], want)
	}
	if rows[2][5] != "2026/4/1" || rows[4][5] != "2019/5/1" {
		t.Errorf("dates shown as %q and %q, want 2026/4/1 and 2019/5/1", rows[2][5], rows[4][5])
	}
	if raw, _ := f.GetCellValue(sheet, "F3", excelize.Options{RawCellValue: true}); raw != "46113" {
		t.Errorf("F3 holds %q, want the day number 46113 (a date cell)", raw)
	}
	if typ, _ := f.GetCellType(sheet, "B4"); typ == excelize.CellTypeFormula {
		t.Error("=1+1 was written as a formula")
	}
	if v, _ := f.GetCellValue(sheet, "B4"); v != "=1+1" {
		t.Errorf("B4 = %q, want the text =1+1", v)
	}
	if formula, _ := f.GetCellFormula(sheet, "B4"); formula != "" {
		t.Errorf("B4 has formula %q", formula)
	}
	if raw, _ := f.GetCellValue(sheet, "G3", excelize.Options{RawCellValue: true}); raw != "12000" {
		t.Errorf("G3 = %q, want 12000", raw)
	}
	if typ, _ := f.GetCellType(sheet, "G4"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("G4 (300) is a text cell (%v), want a number", typ)
	}
	if v, _ := f.GetCellValue(sheet, "D4"); v != "" {
		t.Errorf("D4 (nil) = %q", v)
	}

	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 2 || panes.XSplit != 0 || panes.TopLeftCell != "A3" {
		t.Errorf("panes %+v, %v: want frozen below the header (row 2)", panes, err)
	}
	if w, _ := f.GetColWidth(sheet, "B"); w != AssetLayout.Columns[1].Width {
		t.Errorf("column B width %v, want %v", w, AssetLayout.Columns[1].Width)
	}
	layout, err := f.GetPageLayout(sheet)
	if err != nil || layout.Orientation == nil || *layout.Orientation != "landscape" || layout.Size == nil || *layout.Size != 9 ||
		layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("page layout %+v, %v: want landscape A4 one page wide", layout, err)
	}
	var printTitles, filter bool
	for _, d := range f.GetDefinedName() {
		printTitles = printTitles || d.Name == "_xlnm.Print_Titles" && d.Scope == sheet && d.RefersTo == "'情報資産'!$2:$2"
		filter = filter || d.Name == "_xlnm._FilterDatabase" && d.RefersTo == "'情報資産'!$A$2:$G$5"
	}
	if !printTitles || !filter {
		t.Errorf("defined names %+v: want the print titles (row 2) and the filter (A2:G5)", f.GetDefinedName())
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != "情報資産管理台帳" || props.Creator != "情報セキュリティ管理ポータル" ||
		!strings.HasPrefix(props.Created, strconv.Itoa(time.Now().UTC().Year())) {
		t.Errorf("document properties %+v, %v: want the title, the portal as author and today", props, err)
	}

	xml := sheetXML(t, buf.Bytes())
	for _, want := range []string{`<autoFilter ref="$A$2:$G$5"`, `<pageSetUpPr fitToPage="true"`, `fitToHeight="0"`} {
		if !strings.Contains(xml, want) {
			t.Errorf("sheet XML lacks %s", want)
		}
	}
}

func TestWriteXLSXWithoutTitle(t *testing.T) {
	s := assetSheet()
	s.Title = ""
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, s); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue(s.Name, "A1"); v != "資産番号" {
		t.Errorf("A1 = %q, want the header", v)
	}
	if panes, _ := f.GetPanes(s.Name); panes.YSplit != 1 {
		t.Errorf("frozen at %d, want below row 1", panes.YSplit)
	}
	if props, _ := f.GetDocProps(); props.Title != s.Name {
		t.Errorf("document title %q, want the sheet's name", props.Title)
	}
}

func TestWriteXLSXRefusesUnknownCell(t *testing.T) {
	s := assetSheet()
	s.Rows[1][2] = true
	if err := WriteXLSX(io.Discard, s); err == nil {
		t.Error("a bool cell was written; the caller renders yes/no as text")
	}
}

// TestWriteXLSXReadsBack writes a register and reads it back as an import does.
func TestWriteXLSXReadsBack(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, assetSheet()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("情報資産")
	if err != nil {
		t.Fatal(err)
	}
	h := mapHeader(1, rows[1], "number", "name", "asset_type", "description", "unit_id", "classified_at", "data_subjects")
	got, problems := AssetRows(&Table{Rows: rows}, h, lookups())
	if len(problems) != 0 || len(got) != 3 {
		t.Fatalf("rows %+v, problems %+v", got, problems)
	}
	if in := got[0].Input; in.UnitID != 20 || in.Type != "INFO_ELECTRONIC" || !in.ClassifiedAt.Equal(jstDay(2026, 4, 1)) ||
		*in.DataSubjects != 12000 {
		t.Errorf("first row read back as %+v", in)
	}
}

func sheetXML(t *testing.T, file []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteCSV(t *testing.T) {
	want := "資産番号,情報資産名,資産種別,概要・用途,所管課,分類決定日,本人数 (概数)\r\n" +
		"A-0000001,住民基本台帳ファイル,情報（電子データ）,住民基本台帳の記載事項,住民課,2026/4/1,12000\r\n" +
		"A-0000002,'=1+1,情報（紙文書）,,税務課,,300\r\n" +
		"A-0000003,'@SUM(A1),電磁的記録媒体,'-,税務課,2019/5/1,\r\n"
	for _, tt := range []struct {
		enc    Encoding
		prefix string
	}{{UTF8, ""}, {UTF8BOM, "\uFEFF"}} {
		var buf bytes.Buffer
		problems, err := WriteCSV(&buf, tt.enc, assetSheet())
		if err != nil || problems != nil {
			t.Fatalf("%s: %v, %v", tt.enc, problems, err)
		}
		if got := buf.String(); got != tt.prefix+want {
			t.Errorf("%s:\n got %q\nwant %q", tt.enc, got, tt.prefix+want)
		}
	}

	s := assetSheet()
	s.Rows[0][3] = "①〜⑳の区分、髙橋・㈱南部、4月〜6月、−1"
	var buf bytes.Buffer
	problems, err := WriteCSV(&buf, ShiftJIS, s)
	if err != nil || problems != nil {
		t.Fatalf("Shift_JIS: %v, %v", problems, err)
	}
	if bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Error("Shift_JIS file starts with a byte order mark")
	}
	decoded, err := japanese.ShiftJIS.NewDecoder().Bytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	wantSJIS := strings.Replace(want, "住民基本台帳の記載事項", "①～⑳の区分、髙橋・㈱南部、4月～6月、－1", 1)
	if string(decoded) != wantSJIS {
		t.Errorf("Shift_JIS decoded:\n got %q\nwant %q", decoded, wantSJIS)
	}
}

func TestWriteCSVUnencodable(t *testing.T) {
	s := assetSheet()
	s.Rows[0][1] = "𠮷野家の契約書"
	s.Rows[2][3] = "絵文字😀と𠮷と😀"
	var buf bytes.Buffer
	problems, err := WriteCSV(&buf, ShiftJIS, s)
	if err != nil {
		t.Fatal(err)
	}
	want := []Problem{
		{Row: 2, Column: "情報資産名", Value: "𠮷野家の契約書", Key: "ledger.problem.unencodable", Args: []any{"𠮷"}},
		{Row: 4, Column: "概要・用途", Value: "絵文字😀と𠮷と😀", Key: "ledger.problem.unencodable", Args: []any{"😀𠮷"}},
	}
	if !reflect.DeepEqual(problems, want) {
		t.Errorf("problems\n got %+v\nwant %+v", problems, want)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written despite the problems", buf.Len())
	}
	if _, err := WriteCSV(&buf, "EUC-JP", s); err == nil {
		t.Error("an unknown encoding was accepted")
	}
}

// largeSheet is a register of 100,000 assets with every column filled.
func largeSheet() Sheet {
	s := Sheet{Name: "情報資産", Title: "情報資産管理台帳", Columns: AssetLayout.Columns}
	for _, c := range AssetLayout.Columns {
		s.Headers = append(s.Headers, c.Aliases[len(c.Aliases)-2])
	}
	day := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	for i := range 100_000 {
		row := make([]any, len(s.Headers))
		for j := range row {
			row[j] = "住民基本台帳ファイル"
		}
		row[0], row[15], row[21], row[22] = "A-"+strconv.Itoa(i), i, day, day
		s.Rows = append(s.Rows, row)
	}
	return s
}

func BenchmarkWriteXLSX100k(b *testing.B) {
	s := largeSheet()
	for b.Loop() {
		if err := WriteXLSX(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteCSVShiftJIS100k(b *testing.B) {
	s := largeSheet()
	for b.Loop() {
		if problems, err := WriteCSV(io.Discard, ShiftJIS, s); err != nil || problems != nil {
			b.Fatal(problems, err)
		}
	}
}
