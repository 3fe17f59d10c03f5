package ledger

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// lookups is the master data of a small town: units by code and name, a system, a person and
// the asset types by code and both names.
func lookups() Lookups {
	lk := Lookups{
		Units: map[string]int64{}, Systems: map[string]int64{}, People: map[string]int64{}, Types: map[string]string{},
		Levels: r6Levels,
	}
	for _, u := range []struct {
		id         int64
		code, name string
	}{{10, "ZEIMU", "税務課"}, {20, "JUMIN", "住民課"}} {
		lk.Units[Key(u.code)], lk.Units[Key(u.name)] = u.id, u.id
	}
	lk.Systems[Key("SYS-001")], lk.Systems[Key("住民基本台帳システム")] = 7, 7
	lk.People[Key("00123")] = 42
	for _, ty := range []struct{ code, ja, en string }{
		{"INFO_ELECTRONIC", "情報（電子データ）", "Electronic information / data"},
		{"INFO_PAPER", "情報（紙文書）", "Paper documents"},
		{"MEDIA", "電磁的記録媒体", "Storage media"},
	} {
		lk.Types[Key(ty.code)], lk.Types[Key(ty.ja)], lk.Types[Key(ty.en)] = ty.code, ty.code, ty.code
	}
	return lk
}

// mapHeader maps names to the layout's columns by their exact header texts, as the reading side
// would for these files; "" leaves a column out.
func mapHeader(row int, names []string, keys ...string) Header {
	return Header{Row: row, Rows: 1, Names: names, Mapping: keys}
}

func jstDay(y int, m time.Month, d int) time.Time {
	return isms.Day(time.Date(y, m, d, 0, 0, 0, 0, time.FixedZone("JST", 9*3600)))
}

func TestAssetRows(t *testing.T) {
	names := []string{"資産番号", "情報資産名", "資産種別", "所管課", "形態", "配置ネットワーク", "関連情報システム",
		"機密性", "完全性", "可用性", "個人情報", "本人数", "分類決定日", "次回見直し日", "状態", "備考"}
	h := mapHeader(1, names, "number", "name", "asset_type", "unit_id", "form", "zone", "system_id",
		"confidentiality", "integrity", "availability", "contains_personal", "data_subjects", "classified_at",
		"review_due", "status", "")
	table := &Table{Format: XLSX, Rows: [][]string{
		{"情報資産管理台帳"}, // row 1: the title
		names,        // row 2
		{"A-0001", "住民基本台帳ファイル", "情報（電子データ）", "JUMIN", "電子", "マイナンバー利用事務系", "SYS-001",
			"3B", "2", "2", "○", "約12,000人", "令和8年4月1日", "R9.3.31", "利用中", "メモ"}, // row 3
		{"", "課税台帳 (紙)", "Paper documents", "税務課", "紙", "", "", "自治体機密性3C", "完全性1", "可用性1", "有", "",
			"2026/4/1", "", "保管"}, // row 4, short of the 備考 column
		{"", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},                                            // row 5: empty, skipped
		{"A-0003", "バックアップ媒体", "MEDIA", "zeimu", "", "LGWAN", "", "LGC2", "LGI1", "LGA1", "×", "", "46113", "", ""}, // row 6
		{"", "不明な課", "MEDIA", "総務課", "", "", "", "2", "1", "1", "", "", "", "", ""},                                 // row 7: unit
		{"", "不明な種別", "書類", "税務課", "", "", "", "2", "1", "1", "", "", "", "", ""},                                   // row 8: type
		{"", "日付誤り", "MEDIA", "税務課", "", "", "", "2", "1", "1", "", "", "2026/2/30", "", ""},                        // row 9: date
		{"", "区分誤り", "MEDIA", "税務課", "", "", "", "3", "1", "1", "", "", "", "", ""},                                 // row 10: level
		{"", "複数", "MEDIA", "税務課", "デジタル", "DMZ", "SYS-999", "2", "1", "1", "たぶん", "多数", "", "", "廃棄済"},             // row 11
		{"", "'=HYPERLINK(\"x\")", "MEDIA", "税務課", "", "", "", "1", "1", "1"},                                       // row 12: escaped text
	}}
	rows, problems := AssetRows(table, h, lookups())

	type where struct {
		row          int
		column, key  string
		field, value string
	}
	var got []where
	for _, p := range problems {
		got = append(got, where{p.Row, p.Column, p.Key, p.Field, p.Value})
	}
	want := []where{
		{7, "所管課", "ledger.problem.unit", "unit_id", "総務課"},
		{8, "資産種別", "ledger.problem.type", "asset_type", "書類"},
		{9, "分類決定日", "ledger.problem.date", "classified_at", "2026/2/30"},
		{10, "機密性", "ledger.problem.level", "confidentiality", "3"},
		{11, "形態", "ledger.problem.choice", "form", "デジタル"},
		{11, "配置ネットワーク", "ledger.problem.zone", "zone", "DMZ"},
		{11, "関連情報システム", "ledger.problem.system", "system_id", "SYS-999"},
		{11, "個人情報", "ledger.problem.bool", "contains_personal", "たぶん"},
		{11, "本人数", "ledger.problem.number", "data_subjects", "多数"},
		{11, "状態", "ledger.problem.disposed", "status", "廃棄済"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n got %v\nwant %v", got, want)
	}
	if p := problems[3]; !reflect.DeepEqual(p.Args, []any{"3A, 3B, 3C, 2, 1"}) {
		t.Errorf("level problem args = %v, want the scheme's short forms", p.Args)
	}

	var rowNumbers []int
	for _, r := range rows {
		rowNumbers = append(rowNumbers, r.Row)
	}
	if want := []int{3, 4, 6, 7, 8, 9, 10, 11, 12}; !slices.Equal(rowNumbers, want) {
		t.Fatalf("rows %v, want %v", rowNumbers, want)
	}
	twelve := 12000
	classified, review := jstDay(2026, 4, 1), jstDay(2027, 3, 31)
	wantFirst := isms.AssetInput{Name: "住民基本台帳ファイル", Type: "INFO_ELECTRONIC", UnitID: 20, Form: isms.FormElectronic,
		Zone: isms.ZoneMyNumber, SystemID: 7, C: "LGC3B", I: "LGI2", A: "LGA2", ContainsPersonal: true,
		DataSubjects: &twelve, ClassifiedAt: &classified, ReviewDue: &review, Status: isms.AssetInUse}
	if r := rows[0]; r.Number != "A-0001" || !reflect.DeepEqual(r.Input, wantFirst) {
		t.Errorf("row 3 = %q %+v\nwant %+v", r.Number, r.Input, wantFirst)
	}
	wantSecond := isms.AssetInput{Name: "課税台帳 (紙)", Type: "INFO_PAPER", UnitID: 10, Form: isms.FormPaper,
		C: "LGC3C", I: "LGI1", A: "LGA1", ContainsPersonal: true, ClassifiedAt: &classified, Status: isms.AssetStored}
	if r := rows[1]; r.Number != "" || !reflect.DeepEqual(r.Input, wantSecond) {
		t.Errorf("row 4 = %q %+v\nwant %+v", r.Number, r.Input, wantSecond)
	}
	if r := rows[2]; r.Input.UnitID != 10 || r.Input.Type != "MEDIA" || r.Input.C != "LGC2" || r.Input.ContainsPersonal ||
		r.Input.ClassifiedAt == nil || !r.Input.ClassifiedAt.Equal(classified) || r.Input.Zone != isms.ZoneLGWAN {
		t.Errorf("row 6 = %+v: unit by lower-case code, type by code, levels by code, serial date", r.Input)
	}
	if r := rows[3]; r.Input.UnitID != 0 || r.Input.Name != "不明な課" || r.Input.C != "LGC2" {
		t.Errorf("row 7 = %+v: a bad cell leaves its field zero, the others are read", r.Input)
	}
	if r := rows[7]; r.Input.Status != "" || r.Input.Form != "" || r.Input.DataSubjects != nil {
		t.Errorf("row 11 = %+v: bad cells leave their fields zero", r.Input)
	}
	if r := rows[8]; r.Input.Name != `=HYPERLINK("x")` {
		t.Errorf("row 12 name = %q: the apostrophe WriteCSV adds is taken off", r.Input.Name)
	}
	wantSet := map[string]bool{}
	for _, k := range h.Mapping {
		if k != "" {
			wantSet[k] = true
		}
	}
	if !maps.Equal(rows[1].Set, wantSet) {
		t.Errorf("Set = %v, want the mapped columns %v", rows[1].Set, wantSet)
	}
}

func TestAssetRowsPreviousScheme(t *testing.T) {
	lk := lookups()
	lk.Levels = r5Levels
	table := &Table{Rows: [][]string{{"名称", "C", "I", "A"}, {"旧台帳", "3", "完全性2", "A1"}, {"新区分", "3B", "2", "2"}}}
	rows, problems := AssetRows(table, mapHeader(0, table.Rows[0], "name", "confidentiality", "integrity", "availability"), lk)
	if in := rows[0].Input; in.C != "C3" || in.I != "I2" || in.A != "A1" {
		t.Errorf("row 2 levels = %s %s %s, want C3 I2 A1", in.C, in.I, in.A)
	}
	if len(problems) != 1 || problems[0].Row != 3 || problems[0].Column != "C" || problems[0].Args[0] != "3, 2, 1" {
		t.Errorf("problems = %+v, want 3B refused on row 3 under the previous scheme", problems)
	}
}

func TestSystemRows(t *testing.T) {
	names := []string{"システム番号", "システム名称", "主管課", "情報システム管理者", "配置区分", "形態", "多要素認証",
		"無害化の方式", "契約期間 (開始日)", "目標復旧時間"}
	table := &Table{Rows: [][]string{names,
		{"SYS-001", "住民基本台帳システム", "住民課", "００１２３", "マイナンバー利用事務系", "庁内設置", "○", "なし", "R6.4.1", "24時間"},
		{"SYS-002", "電子申請", "税務課", "99999", "インターネット接続系", "雲", "はい", "FAX", "", ""},
	}}
	h := mapHeader(0, names, "code", "name", "unit_id", "admin_person_id", "zone", "hosting", "mfa_enabled",
		"sanitization_method", "contract_from", "recovery_hours")
	rows, problems := SystemRows(table, h, lookups())
	from, hours := jstDay(2024, 4, 1), 24
	want := isms.SystemInput{Code: "SYS-001", Name: "住民基本台帳システム", UnitID: 20, AdminPersonID: 42,
		Zone: isms.ZoneMyNumber, Hosting: isms.HostingOnPremises, MFAEnabled: true, ContractFrom: &from, RecoveryHours: &hours}
	if len(rows) != 2 || !reflect.DeepEqual(rows[0].Input, want) {
		t.Fatalf("rows = %+v\nwant first %+v", rows, want)
	}
	var got []string
	for _, p := range problems {
		got = append(got, fmt.Sprintf("%d %s %s", p.Row, p.Column, p.Key))
	}
	wantProblems := []string{"3 情報システム管理者 ledger.problem.person", "3 形態 ledger.problem.choice",
		"3 無害化の方式 ledger.problem.choice"}
	if !slices.Equal(got, wantProblems) {
		t.Errorf("problems = %v, want %v", got, wantProblems)
	}
}

func TestPersonRows(t *testing.T) {
	names := []string{"職員番号", "氏名", "よみがな", "任用区分", "在職開始日", "所属"}
	table := &Table{Rows: [][]string{names,
		{"00456", "南部 花子", "なんぶ はなこ", "会計年度任用職員", "令和8年4月1日", "ZEIMU"},
		{"00457", "南部 次郎", "なんぶ じろう", "アルバイト", "4月1日", "企画課"},
	}}
	rows, problems := PersonRows(table, mapHeader(0, names, "employee_no", "name", "name_kana", "employment_type", "valid_from", "unit_id"), lookups())
	from := jstDay(2026, 4, 1)
	want := isms.PersonInput{EmployeeNo: "00456", Name: "南部 花子", NameKana: "なんぶ はなこ",
		Employment: isms.EmploymentFiscalYear, ValidFrom: &from, UnitID: 10}
	if len(rows) != 2 || !reflect.DeepEqual(rows[0].Input, want) {
		t.Fatalf("rows = %+v\nwant first %+v", rows, want)
	}
	var got []string
	for _, p := range problems {
		got = append(got, fmt.Sprintf("%d %s %s", p.Row, p.Field, p.Key))
	}
	wantProblems := []string{"3 employment_type ledger.problem.choice", "3 valid_from ledger.problem.date", "3 unit_id ledger.problem.unit"}
	if !slices.Equal(got, wantProblems) {
		t.Errorf("problems = %v, want %v", got, wantProblems)
	}
}

func TestMergeAsset(t *testing.T) {
	hours, subjects := 48, 300
	classified := jstDay(2025, 4, 1)
	stored := isms.AssetInput{Name: "課税台帳", Type: "INFO_PAPER", Description: "固定資産税の課税台帳", UnitID: 10,
		Form: isms.FormPaper, Location: "本庁舎2階書庫", C: "LGC3C", I: "LGI1", A: "LGA1", ContainsPersonal: true,
		DataSubjects: &subjects, RecoveryHours: &hours, ClassifiedAt: &classified, Status: isms.AssetInUse,
		ContentIDs: []int64{3}, Removed: map[string]string{"NO_COPY": "閲覧用"}, Version: 4}
	table := &Table{Rows: [][]string{{"資産番号", "機密性", "保管場所", "本人数"}, {"A-0002", "3B", "", "1,500"}}}
	rows, problems := AssetRows(table, mapHeader(0, table.Rows[0], "number", "confidentiality", "location", "data_subjects"), lookups())
	if len(problems) != 0 || len(rows) != 1 {
		t.Fatalf("rows %+v, problems %+v", rows, problems)
	}
	got := MergeAsset(stored, rows[0])
	want := stored
	want.C, want.Location = "LGC3B", ""
	fifteen := 1500
	want.DataSubjects = &fifteen
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MergeAsset =\n %+v\nwant\n %+v", got, want)
	}
	if *stored.DataSubjects != 300 || stored.C != "LGC3C" {
		t.Errorf("MergeAsset changed the stored input: %+v", stored)
	}
}

// TestLayouts checks that the column keys are the form fields the registers' validation names,
// and that no two columns of a layout answer to the same header.
func TestLayouts(t *testing.T) {
	forms := map[string]struct {
		layout Layout
		errs   isms.FieldErrors
	}{
		"assets":  {AssetLayout, isms.AssetInput{DataSubjects: ptr(-1), RecoveryHours: ptr(0), Form: "x", Zone: "x"}.Validate()},
		"systems": {SystemLayout, isms.SystemInput{Zone: "x", Hosting: "x", Sanitization: "x", RecoveryHours: ptr(0)}.Validate()},
		"people":  {PersonLayout, isms.PersonInput{NameKana: "x", Email: "x", Phone: "x"}.Validate(true)},
	}
	for kind, f := range forms {
		if f.layout.Kind != kind {
			t.Errorf("layout kind %q, want %q", f.layout.Kind, kind)
		}
		for field := range f.errs {
			if _, ok := f.layout.Column(field); !ok {
				t.Errorf("%s: validation names field %q, which no column feeds", kind, field)
			}
		}
		seen := map[string]string{}
		for _, c := range f.layout.Columns {
			for _, a := range c.Aliases {
				if other, dup := seen[Key(a)]; dup && other != c.Key {
					t.Errorf("%s: header %q answers to both %s and %s", kind, a, other, c.Key)
				}
				seen[Key(a)] = c.Key
			}
		}
	}
	if c, ok := AssetLayout.Column("confidentiality"); !ok || !c.Required || !slices.Contains(c.Aliases, "機密性") {
		t.Errorf("AssetLayout.Column(confidentiality) = %+v, %v", c, ok)
	}
	if _, ok := AssetLayout.Column("nope"); ok {
		t.Error("AssetLayout.Column(nope) found a column")
	}
}

func ptr(n int) *int { return &n }

// BenchmarkAssetRows100k reads a ledger of 100,000 assets with every column filled.
func BenchmarkAssetRows100k(b *testing.B) {
	var names, keys []string
	for _, c := range AssetLayout.Columns {
		names, keys = append(names, c.Aliases[0]), append(keys, c.Key)
	}
	sample := map[string]string{
		"number": "A-0000001", "name": "住民基本台帳ファイル", "asset_type": "情報（電子データ）", "description": "住民票の記載事項",
		"unit_id": "住民課", "form": "電子", "location": "本庁舎サーバ室", "zone": "マイナンバー利用事務系", "system_id": "SYS-001",
		"confidentiality": "3B", "integrity": "2", "availability": "2", "contains_personal": "○", "contains_my_number": "○",
		"contains_sensitive": "", "data_subjects": "12,000", "users_scope": "住民課職員", "retention": "5年",
		"backup_policy": "日次", "recovery_hours": "24", "outsourced_to": "", "classified_at": "令和8年4月1日",
		"review_due": "2027/3/31", "status": "利用中",
	}
	rows := [][]string{names}
	for i := range 100_000 {
		row := make([]string, len(keys))
		for j, k := range keys {
			row[j] = sample[k]
		}
		row[0] = fmt.Sprintf("A-%07d", i)
		rows = append(rows, row)
	}
	table, h, lk := &Table{Rows: rows}, mapHeader(0, names, keys...), lookups()
	b.ResetTimer()
	for b.Loop() {
		got, problems := AssetRows(table, h, lk)
		if len(got) != 100_000 || len(problems) != 0 {
			b.Fatalf("%d rows, problems %v", len(got), problems[:min(3, len(problems))])
		}
	}
}
