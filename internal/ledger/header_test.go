package ledger

import (
	"reflect"
	"strings"
	"testing"
)

func TestFindHeaderCSVTwoRows(t *testing.T) {
	// Saved from Excel as CSV: merged cells keep their value in their first cell only.
	text := "情報資産管理台帳,,,,,\r\n" +
		",,,,,\r\n" +
		"資産番号,資産名,機密性・完全性・可用性,,,所管課\r\n" +
		",,機密性,完全性,可用性,\r\n" +
		"A-001,住民基本台帳データ,3,2,2,市民課\r\n"
	tab, err := Read(strings.NewReader(text), "台帳.csv", DefaultLimits)
	must(t, err)
	h := FindHeader(tab, AssetLayout)
	group := "機密性・完全性・可用性"
	want := Header{
		Row:     3,
		Rows:    2,
		Names:   []string{"資産番号", "資産名", group + " 機密性", group + " 完全性", group + " 可用性", "所管課"},
		Mapping: []string{"number", "name", "confidentiality", "integrity", "availability", "unit_id"},
	}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("header = %+v\nwant %+v", h, want)
	}
}

func TestFindHeaderEnglish(t *testing.T) {
	text := "Information asset register\n" +
		"As of 2026-04-01\n" +
		"\n" +
		"Asset No, Asset name ,Type,Department,Confidentiality,Integrity,Availability,Remarks\n" +
		"A-001,Resident records,Data,Citizens,3,2,2,\n"
	tab, err := Read(strings.NewReader(text), "assets.csv", DefaultLimits)
	must(t, err)
	h := FindHeader(tab, AssetLayout)
	if h.Row != 3 || h.Rows != 1 {
		t.Fatalf("header at %d of %d rows, want 3 and 1", h.Row, h.Rows)
	}
	want := []string{"number", "name", "asset_type", "unit_id", "confidentiality", "integrity", "availability", ""}
	if !reflect.DeepEqual(h.Mapping, want) {
		t.Errorf("mapping = %q, want %q", h.Mapping, want)
	}
	if h.Names[1] != "Asset name" || h.Names[7] != "Remarks" {
		t.Errorf("names = %q", h.Names)
	}
	if m := h.Missing(AssetLayout); len(m) != 0 {
		t.Errorf("missing = %v", m)
	}
}

// The other ways headers are written: full-width and spaced, with the group needed to tell two
// columns apart, a title merged over a header right under it, a column named twice.
func TestFindHeaderCases(t *testing.T) {
	dates := Layout{Kind: "test", Columns: []Column{
		{Key: "name", Aliases: []string{"名称"}, Required: true},
		{Key: "acquired", Aliases: []string{"取得年月日"}},
		{Key: "disposed", Aliases: []string{"廃棄年月日"}},
		{Key: "note", Aliases: []string{"年月日"}},
	}}
	title := "情報資産管理台帳（令和8年度）"
	for _, c := range []struct {
		name    string
		rows    [][]string
		layout  Layout
		row     int
		rows2   int
		names   []string
		mapping []string
	}{
		{
			name:    "full-width and spaced",
			rows:    [][]string{{"資 産 名", "（機密性）", "ＮＡＭＥ"}},
			layout:  AssetLayout,
			row:     0,
			rows2:   1,
			names:   []string{"資 産 名", "（機密性）", "ＮＡＭＥ"},
			mapping: []string{"name", "confidentiality", ""}, // name is taken by the first column
		},
		{
			name:    "group tells the columns apart",
			rows:    [][]string{{"名称", "取得", "", "廃棄", ""}, {"", "年月日", "理由", "年月日", "理由"}},
			layout:  dates,
			row:     1,
			rows2:   2,
			names:   []string{"名称", "取得 年月日", "取得 理由", "廃棄 年月日", "廃棄 理由"},
			mapping: []string{"name", "acquired", "", "disposed", ""},
		},
		{
			name:    "title merged over the header",
			rows:    [][]string{{title, title, title}, {"資産名", "機密性", "所管課"}},
			layout:  AssetLayout,
			row:     1,
			rows2:   1,
			names:   []string{"資産名", "機密性", "所管課"},
			mapping: []string{"name", "confidentiality", "unit_id"},
		},
		{
			name:    "title in its first cell",
			rows:    [][]string{{title}, {"資産名", "機密性", "所管課"}, {"サーバ", "3", "情報政策課"}},
			layout:  AssetLayout,
			row:     1,
			rows2:   1,
			names:   []string{"資産名", "機密性", "所管課"},
			mapping: []string{"name", "confidentiality", "unit_id"},
		},
		{
			name:   "no header",
			rows:   [][]string{{"サーバ", "3"}},
			layout: AssetLayout,
			row:    -1,
		},
	} {
		h := FindHeader(&Table{Rows: c.rows}, c.layout)
		want := Header{Row: c.row, Rows: c.rows2, Names: c.names, Mapping: c.mapping}
		if !reflect.DeepEqual(h, want) {
			t.Errorf("%s: header = %+v\nwant %+v", c.name, h, want)
		}
	}
}

func TestFindHeaderScansTwentyRows(t *testing.T) {
	rows := make([][]string, 25)
	rows[20] = []string{"資産名", "機密性"}
	if h := FindHeader(&Table{Rows: rows}, AssetLayout); h.Row != -1 {
		t.Errorf("header found at row index %d, past the first 20 rows", h.Row)
	}
	rows[19] = rows[20]
	if h := FindHeader(&Table{Rows: rows}, AssetLayout); h.Row != 19 {
		t.Errorf("header at row index %d, want 19", h.Row)
	}
}

func TestMissing(t *testing.T) {
	h := FindHeader(&Table{Rows: [][]string{{"資産名", "種別", "機密性", "完全性", "可用性"}}}, AssetLayout)
	m := h.Missing(AssetLayout)
	if len(m) != 1 || m[0].Key != "unit_id" {
		t.Errorf("missing = %v, want unit_id", m)
	}
	if m := (Header{Row: -1}).Missing(AssetLayout); len(m) != 6 {
		t.Errorf("with no header, %d missing, want the 6 required columns", len(m))
	}
}
