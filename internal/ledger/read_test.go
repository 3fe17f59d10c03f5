package ledger

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"
)

// readFile reads a file the way the import does: by its name and content.
func readFile(t *testing.T, file string, lim Limits) (*Table, error) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Read(f, filepath.Base(file), lim)
}

// writeFile writes data into a file of the test's temporary folder and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// saveBook saves a workbook built by excelize into the test's temporary folder.
func saveBook(t *testing.T, f *excelize.File, name string, opts ...excelize.Options) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(file, opts...); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return file
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantRefusal checks that err is a refusal with key and args.
func wantRefusal(t *testing.T, err error, key string, args ...any) {
	t.Helper()
	var r *Refusal
	if !errors.As(err, &r) {
		t.Fatalf("error = %v, want refusal %s", err, key)
	}
	if r.Key != key || !reflect.DeepEqual(r.Args, args) && len(r.Args)+len(args) > 0 {
		t.Fatalf("refusal = %s %v, want %s %v", r.Key, r.Args, key, args)
	}
}

func wantRows(t *testing.T, got, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows %q, want %d rows %q", len(got), got, len(want), want)
	}
	for i := range want {
		if len(got[i]) != len(want[i]) || len(want[i]) > 0 && !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("row %d = %q, want %q", i+1, got[i], want[i])
		}
	}
}

// ledgerBook builds a 情報資産管理台帳 as towns keep it: a title, a blank row, a header of two
// rows with the three levels grouped under a merged cell and the other headers merged down both
// rows, then three assets. The first sheet is a hidden one of notes.
func ledgerBook(t *testing.T) *excelize.File {
	t.Helper()
	f := excelize.NewFile()
	must(t, f.SetSheetName("Sheet1", "メモ"))
	must(t, f.SetCellValue("メモ", "A1", "このシートは読み込まれません"))
	_, err := f.NewSheet("台帳")
	must(t, err)
	f.SetActiveSheet(1)
	must(t, f.SetSheetVisible("メモ", false))
	const s = "台帳"

	must(t, f.SetCellValue(s, "A1", "情報資産管理台帳 令和8年度"))
	must(t, f.MergeCell(s, "A1", "H1"))
	for _, c := range []struct{ cell, text string }{
		{"A3", "資産番号"}, {"B3", "資産名"}, {"C3", "機密性・完全性・可用性"}, {"F3", "所管課"},
		{"G3", "分類日"}, {"H3", "件数"}, {"C4", "機密性"}, {"D4", "完全性"}, {"E4", "可用性"},
	} {
		must(t, f.SetCellValue(s, c.cell, c.text))
	}
	for _, col := range []string{"A", "B", "F", "G", "H"} {
		must(t, f.MergeCell(s, col+"3", col+"4"))
	}
	must(t, f.MergeCell(s, "C3", "E3"))

	assetNo := `"A-"000`
	numbered, err := f.NewStyle(&excelize.Style{CustomNumFmt: &assetNo})
	must(t, err)
	wareki := `[$-411]ggge"年"m"月"d"日"`
	era, err := f.NewStyle(&excelize.Style{CustomNumFmt: &wareki})
	must(t, err)
	short, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(t, err)

	rows := [][]any{
		{1, "住民基本台帳データ", 3, 2, 2, "市民課", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), 7},
		{2, "　庁内LAN構成図　", 2, 2, 1, "情報政策課", 46113, 5},
		{3, "職員名簿", 2, 1, 1, "人事課", 45017, 4},
	}
	for i, r := range rows {
		row := i + 5
		cell, _ := excelize.CoordinatesToCellName(1, row)
		must(t, f.SetSheetRow(s, cell, &r))
		must(t, f.SetCellStyle(s, cell, cell, numbered))
		// The totals are formulas saved with their result, as Excel saves them.
		total, _ := excelize.CoordinatesToCellName(8, row)
		must(t, f.SetCellFormula(s, total, fmt.Sprintf("SUM(C%d:E%d)", row, row)))
	}
	must(t, f.SetCellStyle(s, "G6", "G6", era))
	must(t, f.SetCellStyle(s, "G7", "G7", short))
	return f
}

func TestReadXLSXLedger(t *testing.T) {
	tab, err := readFile(t, saveBook(t, ledgerBook(t), "台帳.xlsx"), DefaultLimits)
	must(t, err)
	if tab.Format != XLSX || tab.Sheet != "台帳" {
		t.Errorf("format %q sheet %q, want xlsx 台帳 (the first visible sheet)", tab.Format, tab.Sheet)
	}
	title := "情報資産管理台帳 令和8年度"
	group := "機密性・完全性・可用性"
	wantRows(t, tab.Rows, [][]string{
		{title, title, title, title, title, title, title, title},
		nil,
		{"資産番号", "資産名", group, group, group, "所管課", "分類日", "件数"},
		{"資産番号", "資産名", "機密性", "完全性", "可用性", "所管課", "分類日", "件数"},
		{"A-001", "住民基本台帳データ", "3", "2", "2", "市民課", "2026-04-01", "7"},
		{"A-002", "庁内LAN構成図", "2", "2", "1", "情報政策課", "2026-04-01", "5"},
		{"A-003", "職員名簿", "2", "1", "1", "人事課", "2023-04-01", "4"},
	})

	h := FindHeader(tab, AssetLayout)
	if h.Row != 3 || h.Rows != 2 {
		t.Fatalf("header at row index %d of %d rows, want 3 and 2", h.Row, h.Rows)
	}
	wantNames := []string{"資産番号", "資産名", group + " 機密性", group + " 完全性", group + " 可用性", "所管課", "分類日", "件数"}
	if !reflect.DeepEqual(h.Names, wantNames) {
		t.Errorf("names = %q, want %q", h.Names, wantNames)
	}
	wantMapping := []string{"number", "name", "confidentiality", "integrity", "availability", "unit_id", "classified_at", "data_subjects"}
	if !reflect.DeepEqual(h.Mapping, wantMapping) {
		t.Errorf("mapping = %q, want %q", h.Mapping, wantMapping)
	}
	if m := h.Missing(AssetLayout); len(m) != 1 || m[0].Key != "asset_type" {
		t.Errorf("missing = %v, want only asset_type", m)
	}
}

func TestReadXLSXFormulaWithoutResult(t *testing.T) {
	f := excelize.NewFile()
	must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"資産名", "機密性", "完全性", "合計"}))
	must(t, f.SetSheetRow("Sheet1", "A5", &[]any{"サーバ", 3, 2}))
	// excelize computes nothing when it saves: the formula is saved without a result, as some
	// programs other than Excel save them.
	must(t, f.SetCellFormula("Sheet1", "D5", "B5+C5"))
	_, err := readFile(t, saveBook(t, f, "台帳.xlsx"), DefaultLimits)
	wantRefusal(t, err, "ledger.refused.formula", "D5")
}

// TestReadXLSXSheetXML reads a workbook whose worksheet is written by hand as other programs
// write it: formulas with and without <v>, a date typed t="d", cells without references, a
// shared formula, rows out of the way.
func TestReadXLSXSheetXML(t *testing.T) {
	sheet := `<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData>
<row r="2"><c t="inlineStr"><is><t>資産名</t></is></c><c t="inlineStr"><is><t>更新日</t></is></c><c t="inlineStr"><is><t>計</t></is></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>サーバ</t></is></c><c r="B3" t="d"><v>2026-04-01T00:00:00</v></c><c r="C3"><f>1+1</f><v>2</v></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><t>端末</t></is></c><c r="C4" t="str"><f>""</f><v></v></c></row>
</sheetData>
</worksheet>`
	tab, err := readFile(t, writeFile(t, "手書き.xlsx", rawBook(t, sheet)), DefaultLimits)
	must(t, err)
	wantRows(t, tab.Rows, [][]string{
		nil,
		{"資産名", "更新日", "計"},
		{"サーバ", "2026-04-01", "2"},
		{"端末"},
	})

	noResult := strings.Replace(sheet, `<c r="C3"><f>1+1</f><v>2</v></c>`, `<c r="C3"><f>1+1</f></c>`, 1)
	_, err = readFile(t, writeFile(t, "手書き.xlsx", rawBook(t, noResult)), DefaultLimits)
	wantRefusal(t, err, "ledger.refused.formula", "C3")
}

// rawBook zips a minimal workbook around a worksheet's XML.
func rawBook(t testing.TB, sheetXML string) []byte {
	t.Helper()
	return zipParts(t, bookParts(sheetXML))
}

// bookParts are the parts of a minimal workbook.
func bookParts(sheetXML string) map[string]string {
	return map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台帳" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": sheetXML,
	}
}

func zipParts(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range parts {
		w, err := zw.Create(name)
		must(t, err)
		_, err = w.Write([]byte(content))
		must(t, err)
	}
	must(t, zw.Close())
	return buf.Bytes()
}

func TestIsDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"yyyy/m/d":                         true,
		`yyyy"年"m"月"d"日"`:                  true,
		`[$-411]ggge"年"m"月"d"日"`:           true,
		"[$-411]ge.m.d":                    true,
		`m"月"d"日"`:                         true,
		"mmm-yy":                           true,
		"yyyy/m/d h:mm":                    true,
		"yyyy-mm-dd;@":                     true,
		"h:mm":                             false,
		"[h]:mm":                           false,
		"mm:ss":                            false,
		"h:mm AM/PM":                       false,
		"General":                          false,
		"0.00E+00":                         false,
		"#,##0;[Red]-#,##0":                false,
		`"Day "0`:                          false,
		`\d0`:                              false,
		`[$¥-411]#,##0`:                    false,
		`_(* #,##0_);_(* \(#,##0\)`:        false,
		`[<=999]000;[<=9999]000-00`:        false,
		`0"日"`:                             false,
		`[DBNum1][$-411]General`:           false,
		`[$-F800]dddd\,\ mmmm\ dd\,\ yyyy`: true,
	} {
		if got := isDateFormat(code); got != want {
			t.Errorf("isDateFormat(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestReadCSVShiftJIS(t *testing.T) {
	text := "情報資産管理台帳,,,,\r\n" +
		"令和8年4月1日現在,,,,\r\n" +
		"資産番号,資産名,機密性,所管課,分類日\r\n" +
		"Ａ－００１,サーバ①,３,　市民課　,令和8年4月1日\r\n" +
		"A-002,\"住民票\r\n写し\",2,税務課,R8.4.1\r\n"
	sjis, err := japanese.ShiftJIS.NewEncoder().String(text)
	must(t, err)
	tab, err := readFile(t, writeFile(t, "台帳.csv", []byte(sjis)), DefaultLimits)
	must(t, err)
	if tab.Format != CSV || tab.Encoding != ShiftJIS || tab.Delimiter != ',' {
		t.Errorf("format %q encoding %q delimiter %q, want csv Shift_JIS ,", tab.Format, tab.Encoding, tab.Delimiter)
	}
	wantRows(t, tab.Rows, [][]string{
		{"情報資産管理台帳"},
		{"令和8年4月1日現在"},
		{"資産番号", "資産名", "機密性", "所管課", "分類日"},
		{"Ａ－００１", "サーバ①", "３", "市民課", "令和8年4月1日"},
		{"A-002", "住民票\n写し", "2", "税務課", "R8.4.1"},
	})
	h := FindHeader(tab, AssetLayout)
	if h.Row != 2 || h.Rows != 1 {
		t.Errorf("header at %d of %d rows, want 2 and 1", h.Row, h.Rows)
	}
}

func TestReadCSVUTF8BOM(t *testing.T) {
	tab, err := readFile(t, writeFile(t, "assets.csv", []byte("\xEF\xBB\xBF資産名,機密性\r\nサーバ,3\r\n")), DefaultLimits)
	must(t, err)
	if tab.Encoding != UTF8BOM {
		t.Errorf("encoding %q, want %q", tab.Encoding, UTF8BOM)
	}
	wantRows(t, tab.Rows, [][]string{{"資産名", "機密性"}, {"サーバ", "3"}})

	tab, err = readFile(t, writeFile(t, "assets.csv", []byte("資産名,機密性\nサーバ,3\n")), DefaultLimits)
	must(t, err)
	if tab.Encoding != UTF8 {
		t.Errorf("encoding %q, want %q", tab.Encoding, UTF8)
	}
}

func TestReadCSVDelimiters(t *testing.T) {
	for _, c := range []struct {
		name, text string
		delim      rune
		rows       [][]string
	}{
		{"assets.tsv", "資産名\t備考\r\nサーバ\t\"a,b,c\"\r\n端末\tx, y\r\n", '\t',
			[][]string{{"資産名", "備考"}, {"サーバ", "a,b,c"}, {"端末", "x, y"}}},
		{"assets.txt", "資産名;備考\nサーバ;\"a;b\"\n", ';', [][]string{{"資産名", "備考"}, {"サーバ", "a;b"}}},
		{"assets.csv", "資産名\nサーバ\n", ',', [][]string{{"資産名"}, {"サーバ"}}},
		{"assets.csv", "a\tb,c\n", ',', [][]string{{"a\tb", "c"}}}, // a tie goes to the comma
		// A title line without delimiters, then more commas than tabs in the text: the tabs
		// make the shape of a table.
		{"assets.txt", "台帳\n資産名\t備考\nA\t1,2,3\nB\t4,5\n", '\t',
			[][]string{{"台帳"}, {"資産名", "備考"}, {"A", "1,2,3"}, {"B", "4,5"}}},
	} {
		tab, err := readFile(t, writeFile(t, c.name, []byte(c.text)), DefaultLimits)
		must(t, err)
		if tab.Delimiter != c.delim {
			t.Errorf("%q: delimiter %q, want %q", c.text, tab.Delimiter, c.delim)
		}
		wantRows(t, tab.Rows, c.rows)
	}
}

// TestReadCSVRowNumbers checks that blank lines stay rows, as a spreadsheet program shows them,
// and that the empty rows at the end are dropped.
func TestReadCSVRowNumbers(t *testing.T) {
	text := "名前,備考\r\nx,\"1行目\r\n2行目\"\r\n\r\ny,z\r\n,,\r\n\r\n"
	tab, err := readFile(t, writeFile(t, "a.csv", []byte(text)), DefaultLimits)
	must(t, err)
	wantRows(t, tab.Rows, [][]string{{"名前", "備考"}, {"x", "1行目\n2行目"}, nil, {"y", "z"}})
}

func TestReadCSVUnclosedQuote(t *testing.T) {
	text := "資産名,備考\nサーバ,\"閉じていない\nまま\n端末,x\n"
	_, err := readFile(t, writeFile(t, "a.csv", []byte(text)), DefaultLimits)
	wantRefusal(t, err, "ledger.refused.csv_syntax", 2)

	// A quote inside a cell that does not start with one is text.
	tab, err := readFile(t, writeFile(t, "a.csv", []byte("資産名,大きさ\nモニタ,24\" 型\n")), DefaultLimits)
	must(t, err)
	wantRows(t, tab.Rows, [][]string{{"資産名", "大きさ"}, {"モニタ", `24" 型`}})
}

func TestReadRefusals(t *testing.T) {
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	notBook := zipParts(t, map[string]string{"readme.txt": "これは台帳ではありません"})
	document := zipParts(t, map[string]string{
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":            `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>`,
		"word/_rels/document.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`,
	})
	for _, c := range []struct {
		name string
		data []byte
		key  string
		args []any
	}{
		{"台帳.xls", ole, "ledger.refused.xls", nil},
		{"台帳.XLS", []byte("<html>"), "ledger.refused.xls", nil},
		{"台帳.pdf", []byte("%PDF-1.7"), "ledger.refused.type", []any{".pdf"}},
		{"台帳", []byte("a,b"), "ledger.refused.type", []any{"台帳"}},
		{"台帳.xlsx", ole, "ledger.refused.xls", nil},
		{"台帳.csv", ole, "ledger.refused.xls", nil},
		{"台帳.xlsx", []byte("資産名,機密性\nサーバ,3\n"), "ledger.refused.not_xlsx", nil},
		{"台帳.xlsx", notBook, "ledger.refused.not_xlsx", nil},
		{"台帳.xlsx", document, "ledger.refused.not_xlsx", nil},
		{"台帳.xlsx", []byte("PK\x03\x04 broken"), "ledger.refused.not_xlsx", nil},
		{"台帳.csv", notBook, "ledger.refused.not_csv", nil},
		{"台帳.csv", random, "ledger.refused.not_csv", nil},
		{"台帳.csv", []byte("\xFF\xFE\x8Bu"), "ledger.refused.encoding", nil},         // UTF-16
		{"台帳.csv", []byte("caf\xE9,na\xEFve\n"), "ledger.refused.encoding", nil},    // Latin-1
		{"台帳.csv", []byte("\xEF\xBB\xBFcaf\xE9\n"), "ledger.refused.encoding", nil}, // a BOM, then not UTF-8
		{"台帳.csv", nil, "ledger.refused.empty", nil},
		{"台帳.csv", []byte("\xEF\xBB\xBF"), "ledger.refused.empty", nil},
		{"台帳.csv", []byte("\r\n,,,\r\n　,  \r\n"), "ledger.refused.empty", nil},
		{"台帳.xlsx", rawBook(t, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>`), "ledger.refused.empty", nil},
	} {
		_, err := Read(bytes.NewReader(c.data), c.name, DefaultLimits)
		wantRefusal(t, err, c.key, c.args...)
	}
}

func TestReadEncryptedWorkbook(t *testing.T) {
	f := excelize.NewFile()
	must(t, f.SetCellValue("Sheet1", "A1", "資産名"))
	file := saveBook(t, f, "台帳.xlsx", excelize.Options{Password: "secret"})
	_, err := readFile(t, file, DefaultLimits)
	wantRefusal(t, err, "ledger.refused.encrypted")
}

// TestReadZipBomb reads a workbook whose worksheet is 300 MB of zeros, about 300 KB zipped: it
// is refused from the zip's directory, quickly and without unzipping it.
func TestReadZipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range map[string]string{
		"[Content_Types].xml":        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml":            `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`,
	} {
		w, err := zw.Create(name)
		must(t, err)
		_, err = w.Write([]byte(content))
		must(t, err)
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	must(t, err)
	zeros := make([]byte, 1<<20)
	for range 300 {
		_, err := w.Write(zeros)
		must(t, err)
	}
	must(t, zw.Close())
	bomb := buf.Bytes()
	if len(bomb) > 1<<20 {
		t.Fatalf("the bomb is %d bytes zipped", len(bomb))
	}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err = Read(bytes.NewReader(bomb), "台帳.xlsx", DefaultLimits)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	wantRefusal(t, err, "ledger.refused.too_large_expanded", 200)
	if elapsed > time.Second {
		t.Errorf("refused in %v", elapsed)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("allocated %d MB to refuse it", alloc>>20)
	}

	// Within the limit as a whole, but a part that expands 1000 times is a bomb too.
	_, err = Read(bytes.NewReader(bomb), "台帳.xlsx", Limits{ExpandedBytes: 1 << 30})
	wantRefusal(t, err, "ledger.refused.too_large_expanded", 1024)
}

func TestReadLimits(t *testing.T) {
	lim := Limits{Rows: 5, Columns: 10, ExpandedBytes: 10 << 20}

	f := excelize.NewFile()
	for r := 1; r <= 6; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		must(t, f.SetCellValue("Sheet1", cell, r))
	}
	_, err := readFile(t, saveBook(t, f, "a.xlsx"), lim)
	wantRefusal(t, err, "ledger.refused.too_many_rows", 5)

	f = excelize.NewFile()
	must(t, f.SetCellValue("Sheet1", "K2", "11列目"))
	_, err = readFile(t, saveBook(t, f, "a.xlsx"), lim)
	wantRefusal(t, err, "ledger.refused.too_many_columns", 10)

	_, err = Read(strings.NewReader("1\n2\n3\n4\n5\n6\n"), "a.csv", lim)
	wantRefusal(t, err, "ledger.refused.too_many_rows", 5)
	_, err = Read(strings.NewReader("a\n"+strings.Repeat("x,", 10)+"x\n"), "a.csv", lim)
	wantRefusal(t, err, "ledger.refused.too_many_columns", 10)

	// Empty rows and empty cells past the limits do not count: Excel saves them when a whole
	// column or row has been formatted.
	tab, err := Read(strings.NewReader("1\n2\n3\n4\n5"+strings.Repeat(",", 30)+"\n"+strings.Repeat(",,\n", 100)), "a.csv", lim)
	must(t, err)
	if len(tab.Rows) != 5 {
		t.Errorf("%d rows, want 5", len(tab.Rows))
	}
	f = excelize.NewFile()
	must(t, f.SetCellValue("Sheet1", "A5", "5行目"))
	styled, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	must(t, err)
	must(t, f.SetCellStyle("Sheet1", "A1", "Z100", styled))
	tab, err = readFile(t, saveBook(t, f, "a.xlsx"), lim)
	must(t, err)
	wantRows(t, tab.Rows, [][]string{nil, nil, nil, nil, {"5行目"}})
}
