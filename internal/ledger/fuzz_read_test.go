package ledger

import (
	"archive/zip"
	"bytes"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"
)

// fuzzLimits are small, so that the fuzzer reaches them.
var fuzzLimits = Limits{Rows: 30, Columns: 12, ExpandedBytes: 1 << 20}

// checkRead holds whatever Read makes of any input: a refusal (no other error can come from
// bytes in memory), or a table within the limits, trimmed, its last row not empty.
func checkRead(t *testing.T, tab *Table, err error) {
	t.Helper()
	if err != nil {
		if _, ok := errors.AsType[*Refusal](err); !ok {
			t.Fatalf("error %v is not a refusal", err)
		}
		return
	}
	if len(tab.Rows) == 0 || len(tab.Rows) > fuzzLimits.Rows {
		t.Fatalf("%d rows, limit %d", len(tab.Rows), fuzzLimits.Rows)
	}
	if len(tab.Rows[len(tab.Rows)-1]) == 0 {
		t.Fatal("the last row is empty")
	}
	for i, row := range tab.Rows {
		if len(row) > fuzzLimits.Columns {
			t.Fatalf("row %d has %d cells, limit %d", i+1, len(row), fuzzLimits.Columns)
		}
		for _, c := range row {
			if c != normaliseCell(c) {
				t.Fatalf("row %d: cell %q not trimmed", i+1, c)
			}
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	sjis, err := japanese.ShiftJIS.NewEncoder().String("資産名,機密性\r\nサーバ①,３\r\n")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"資産名,機密性\r\nサーバ,3\r\n",
		sjis,
		"\xEF\xBB\xBF資産名\t備考\nサーバ\t\"a,b\"\n",
		"a;b;c\n1;2;3\n",
		"名前,備考\r\nx,\"1行目\r\n2行目\"\r\n\r\ny,z\r\n",
		"a,\"open\nquote",
		"\"\"\"\",\"a\"\"b\"x,\"",
		"\xFF\xFEa\x00",
		"caf\xE9\n",
		"\u3000 a \u3000,\r\r\n,,,\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Read(bytes.NewReader(data), "fuzz.csv", fuzzLimits)
		checkRead(t, tab, err)
	})
}

func FuzzReadXLSX(f *testing.F) {
	f.Add(tinyBook(f))
	f.Add(storedBook(f, fuzzSheet))
	f.Add(rawBook(f, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
		`<row r="2"><c t="inlineStr"><is><t>資産名</t></is></c><c r="C2"><f>1+1</f><v>2</v></c><c t="d"><v>2026-04-01</v></c></row>`+
		`<row><c r="A3" s="0"><v>46113</v></c><c r="B3"><f>1</f></c></row></sheetData>`+
		`<mergeCells><mergeCell ref="A2:B3"/><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>`))
	f.Add(append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Read(bytes.NewReader(data), "fuzz.xlsx", fuzzLimits)
		checkRead(t, tab, err)
	})
}

// fuzzSheet is a worksheet with a bit of everything the sheet scanner reads.
const fuzzSheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
	`<row r="1"><c t="inlineStr"><is><t>台帳</t></is></c></row>` +
	`<row r="3"><c t="inlineStr"><is><t>資産名</t></is></c><c t="inlineStr"><is><t>計</t></is></c></row>` +
	`<row><c r="A4" t="inlineStr"><is><t>サーバ</t></is></c><c r="B4"><f>1+1</f><v>2</v></c><c t="d"><v>2026-04-01</v></c></row>` +
	`</sheetData><mergeCells><mergeCell ref="A1:C1"/></mergeCells></worksheet>`

// storedBook is a minimal workbook whose parts are stored without compression nor checksum, so
// that the fuzzer's changes to its bytes reach the XML rather than fail the zip's checks.
func storedBook(tb testing.TB, sheetXML string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range bookParts(sheetXML) {
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: name, Method: zip.Store,
			CompressedSize64: uint64(len(content)), UncompressedSize64: uint64(len(content)),
		})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// tinyBook is a small workbook as excelize writes it: a title, a header, a row with a date.
func tinyBook(tb testing.TB) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for cell, v := range map[string]any{"A1": "台帳", "A2": "資産名", "B2": "分類日", "A3": "サーバ", "B3": 46113} {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			tb.Fatal(err)
		}
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "B3", "B3", style); err != nil {
		tb.Fatal(err)
	}
	if err := f.MergeCell("Sheet1", "A1", "B1"); err != nil {
		tb.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
