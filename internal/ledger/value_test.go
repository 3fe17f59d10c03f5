package ledger

import (
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The levels of the two schemes as the migrations seed them.
var (
	r6Levels = []isms.Level{
		{Code: "LGC3A", Axis: isms.AxisC, Rank: 5, NameJa: "自治体機密性3A", NameEn: "Municipal confidentiality 3A"},
		{Code: "LGC3B", Axis: isms.AxisC, Rank: 4, NameJa: "自治体機密性3B", NameEn: "Municipal confidentiality 3B"},
		{Code: "LGC3C", Axis: isms.AxisC, Rank: 3, NameJa: "自治体機密性3C", NameEn: "Municipal confidentiality 3C"},
		{Code: "LGC2", Axis: isms.AxisC, Rank: 2, NameJa: "自治体機密性2", NameEn: "Municipal confidentiality 2"},
		{Code: "LGC1", Axis: isms.AxisC, Rank: 1, NameJa: "自治体機密性1", NameEn: "Municipal confidentiality 1"},
		{Code: "LGI2", Axis: isms.AxisI, Rank: 2, NameJa: "完全性2", NameEn: "Integrity 2"},
		{Code: "LGI1", Axis: isms.AxisI, Rank: 1, NameJa: "完全性1", NameEn: "Integrity 1"},
		{Code: "LGA2", Axis: isms.AxisA, Rank: 2, NameJa: "可用性2", NameEn: "Availability 2"},
		{Code: "LGA1", Axis: isms.AxisA, Rank: 1, NameJa: "可用性1", NameEn: "Availability 1"},
	}
	r5Levels = []isms.Level{
		{Code: "C3", Axis: isms.AxisC, Rank: 3, NameJa: "機密性3", NameEn: "Confidentiality 3"},
		{Code: "C2", Axis: isms.AxisC, Rank: 2, NameJa: "機密性2", NameEn: "Confidentiality 2"},
		{Code: "C1", Axis: isms.AxisC, Rank: 1, NameJa: "機密性1", NameEn: "Confidentiality 1"},
		{Code: "I2", Axis: isms.AxisI, Rank: 2, NameJa: "完全性2", NameEn: "Integrity 2"},
		{Code: "I1", Axis: isms.AxisI, Rank: 1, NameJa: "完全性1", NameEn: "Integrity 1"},
		{Code: "A2", Axis: isms.AxisA, Rank: 2, NameJa: "可用性2", NameEn: "Availability 2"},
		{Code: "A1", Axis: isms.AxisA, Rank: 1, NameJa: "可用性1", NameEn: "Availability 1"},
	}
)

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ＬＧＷＡＮ接続系", "lgwan接続系"},
		{"LGWAN 接続系", "lgwan接続系"},
		{"資産　番号", "資産番号"},
		{"情報資産名\n（必須）", "情報資産名必須"},
		{"No.", "no."},
		{"OS・ミドルウェア", "osミドルウェア"},
		{"system_code", "systemcode"},
		{"LGWAN-ASP", "lgwanasp"},
		{"所管課：", "所管課"},
		{"ﾃﾞｰﾀｾﾝﾀｰ", "データセンター"},
		{"所管課", "所管課"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	jst := time.FixedZone("JST", 9*3600)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, jst) }
	tests := []struct {
		in   string
		want time.Time // zero: refused
	}{
		// 西暦
		{"2026/4/1", day(2026, 4, 1)},
		{"2026/04/01", day(2026, 4, 1)},
		{"2026-04-01", day(2026, 4, 1)},
		{"2026.4.1", day(2026, 4, 1)},
		{"2026年4月1日", day(2026, 4, 1)},
		{"2026年 4月 1日", day(2026, 4, 1)},
		{" 2026/4/1 ", day(2026, 4, 1)},
		{"２０２６／４／１", day(2026, 4, 1)},
		{"２０２６年４月１日", day(2026, 4, 1)},
		{"20260401", day(2026, 4, 1)},
		{"2024/2/29", day(2024, 2, 29)},
		// a time after the date
		{"2026/4/1 0:00:00", day(2026, 4, 1)},
		{"2026/4/1 13:45", day(2026, 4, 1)},
		{"2026-04-01T09:30:00", day(2026, 4, 1)},
		{"2026-04-01 00:00:00.000", day(2026, 4, 1)},
		{"2026年4月1日 0:00", day(2026, 4, 1)},
		// 和暦
		{"令和8年4月1日", day(2026, 4, 1)},
		{"令和元年5月1日", day(2019, 5, 1)},
		{"令和 元年 5月 1日", day(2019, 5, 1)},
		{"R8.4.1", day(2026, 4, 1)},
		{"R8/4/1", day(2026, 4, 1)},
		{"R8-4-1", day(2026, 4, 1)},
		{"r8.4.1", day(2026, 4, 1)},
		{"Ｒ８．４．１", day(2026, 4, 1)},
		{"R元.5.1", day(2019, 5, 1)},
		{"R08.04.01", day(2026, 4, 1)},
		{"H31.4.30", day(2019, 4, 30)},
		{"平成31年4月30日", day(2019, 4, 30)},
		{"平成32年3月31日", day(2020, 3, 31)}, // written after 平成 ended: the year it means
		{"S64.1.7", day(1989, 1, 7)},
		{"昭和64年1月7日", day(1989, 1, 7)},
		{"T15.12.24", day(1926, 12, 24)},
		{"明治元年10月23日", day(1868, 10, 23)},
		{"㋿8年4月1日", day(2026, 4, 1)},
		{"㍻31年4月30日", day(2019, 4, 30)},
		{"Reiwa 8.4.1", day(2026, 4, 1)},
		{"令和8年4月1日 0:00:00", day(2026, 4, 1)},
		// Excel's day numbers
		{"46113", day(2026, 4, 1)},
		{"46113.5", day(2026, 4, 1)},
		{"10000", day(1927, 5, 18)},
		{"43586", day(2019, 5, 1)},
		{"2958465", day(9999, 12, 31)},
		// refused
		{"", time.Time{}},
		{"   ", time.Time{}},
		{"2026/2/30", time.Time{}},
		{"2025/2/29", time.Time{}},
		{"2026/13/1", time.Time{}},
		{"2026/4/0", time.Time{}},
		{"2026/4", time.Time{}},
		{"2026.4", time.Time{}},
		{"26/4/1", time.Time{}},
		{"8.4.1", time.Time{}},
		{"2026/4-1", time.Time{}},
		{"2026年4/1", time.Time{}},
		{"2026/4/1x", time.Time{}},
		{"2026/4/1 午前", time.Time{}},
		{"1867/12/31", time.Time{}},
		{"令和8年2月30日", time.Time{}},
		{"令和0年4月1日", time.Time{}},
		{"X8.4.1", time.Time{}},
		{"令和8年", time.Time{}},
		{"0", time.Time{}},
		{"2026", time.Time{}}, // a year alone, not Excel's day 2026 (1905)
		{"１", time.Time{}},    // day numbers before 1927 are no register's dates
		{"9999", time.Time{}},
		{"2958466", time.Time{}},
		{"99999999", time.Time{}},
		{"-1", time.Time{}},
		{"46113.", time.Time{}},
		{"46113.5.1", time.Time{}},
		{"未定", time.Time{}},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
		if ok && got.Location().String() != "JST" {
			t.Errorf("ParseDate(%q) is in %v, want JST", tt.in, got.Location())
		}
	}
}

func TestParseBool(t *testing.T) {
	for _, s := range []string{"○", "〇", "◯", "●", "✓", "✔", "レ", "ﾚ", "有", "あり", "有り", "はい", "yes", "YES", "Ｙ",
		"y", "true", "TRUE", "1", "１", "対象", "該当", "含む", " ○ "} {
		if v, ok := ParseBool(s); !v || !ok {
			t.Errorf("ParseBool(%q) = %v, %v; want true", s, v, ok)
		}
	}
	for _, s := range []string{"", "×", "✕", "-", "－", "ー", "―", "無", "なし", "無し", "いいえ", "no", "NO", "n", "false",
		"0", "０", "非該当", "対象外", "含まない", "　"} {
		if v, ok := ParseBool(s); v || !ok {
			t.Errorf("ParseBool(%q) = %v, %v; want false", s, v, ok)
		}
	}
	for _, s := range []string{"未確認", "2", "maybe", "△"} {
		if _, ok := ParseBool(s); ok {
			t.Errorf("ParseBool(%q) is ok, want refused", s)
		}
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in     string
		want   int
		wantOK bool
	}{
		{"120", 120, true},
		{"１２０", 120, true},
		{"1,200", 1200, true},
		{"1，200", 1200, true},
		{"約1,200人", 1200, true},
		{"3000件", 3000, true},
		{"50名", 50, true},
		{"24時間", 24, true},
		{"24 時間", 24, true},
		{"24h", 24, true},
		{"24H", 24, true},
		{"0", 0, true},
		{"2147483647", 2147483647, true},
		{"2147483648", 0, false},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"", 0, false},
		{"人", 0, false},
		{"約", 0, false},
		{",", 0, false},
		{"1,", 0, false},
		{"多数", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseInt(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseInt(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestParseZone(t *testing.T) {
	tests := []struct {
		in     string
		want   isms.Zone
		wantOK bool
	}{
		{"MYNUMBER", isms.ZoneMyNumber, true},
		{"mynumber", isms.ZoneMyNumber, true},
		{"マイナンバー利用事務系", isms.ZoneMyNumber, true},
		{"マイナンバー系", isms.ZoneMyNumber, true},
		{"個人番号利用事務系", isms.ZoneMyNumber, true},
		{"LGWAN", isms.ZoneLGWAN, true},
		{"ＬＧＷＡＮ", isms.ZoneLGWAN, true},
		{"LGWAN接続系", isms.ZoneLGWAN, true},
		{"ＬＧＷＡＮ 接続系", isms.ZoneLGWAN, true},
		{"LGWAN-connected zone", isms.ZoneLGWAN, true},
		{"INTERNET", isms.ZoneInternet, true},
		{"インターネット接続系", isms.ZoneInternet, true},
		{"インターネット系", isms.ZoneInternet, true},
		{"OTHER", isms.ZoneOther, true},
		{"スタンドアロン", isms.ZoneOther, true},
		{"その他", isms.ZoneOther, true},
		{"その他 (スタンドアロン等)", isms.ZoneOther, true},
		{"", "", true},
		{"1", "", false},
		{"外部", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseZone(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseZone(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestParseChoices(t *testing.T) {
	type test struct {
		in     string
		want   string
		wantOK bool
	}
	run := func(name string, parse func(string) (string, bool), tests []test) {
		for _, tt := range tests {
			got, ok := parse(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("%s(%q) = %q, %v; want %q, %v", name, tt.in, got, ok, tt.want, tt.wantOK)
			}
		}
	}
	run("ParseForm", func(s string) (string, bool) { v, ok := ParseForm(s); return string(v), ok }, []test{
		{"電子", "electronic", true}, {"電子データ", "electronic", true}, {"electronic", "electronic", true},
		{"紙", "paper", true}, {"紙文書", "paper", true}, {"Paper", "paper", true},
		{"両方", "both", true}, {"電子・紙", "both", true}, {"電子・紙の両方", "both", true}, {"both", "both", true},
		{"", "", true}, {"マイクロフィルム", "", false},
	})
	run("ParseStatus", func(s string) (string, bool) { v, ok := ParseStatus(s); return string(v), ok }, []test{
		{"利用中", "in_use", true}, {"in_use", "in_use", true}, {"In use", "in_use", true},
		{"保管", "stored", true}, {"保管中", "stored", true}, {"stored", "stored", true},
		{"廃棄済", "disposed", false}, {"disposed", "disposed", false},
		{"", "", true}, {"貸出中", "", false},
	})
	run("ParseHosting", func(s string) (string, bool) { v, ok := ParseHosting(s); return string(v), ok }, []test{
		{"庁内設置", "onpremises", true}, {"オンプレミス", "onpremises", true}, {"データセンター", "datacenter", true},
		{"ガバメントクラウド", "gov_cloud", true}, {"gov_cloud", "gov_cloud", true}, {"LGWAN-ASP", "lgwan_asp", true},
		{"ＬＧＷＡＮ－ＡＳＰ", "lgwan_asp", true}, {"パブリッククラウド", "public_cloud", true}, {"", "", true},
		{"自宅", "", false},
	})
	run("ParseSanitization", func(s string) (string, bool) { v, ok := ParseSanitization(s); return string(v), ok }, []test{
		{"テキスト化", "text", true}, {"メールテキスト化", "text", true}, {"画面転送", "screen_transfer", true},
		{"ファイル無害化", "file_sanitization", true}, {"file_sanitization", "file_sanitization", true},
		{"なし", "", true}, {"(なし)", "", true}, {"", "", true}, {"手作業", "", false},
	})
	run("ParseEmployment", func(s string) (string, bool) { v, ok := ParseEmployment(s); return string(v), ok }, []test{
		{"正規職員", "regular", true}, {"正職員", "regular", true}, {"regular", "regular", true},
		{"会計年度任用職員", "fiscal_year", true}, {"会計年度", "fiscal_year", true}, {"臨時職員", "temporary", true},
		{"委託先従事者", "contractor", true}, {"委託", "contractor", true}, {"", "", true}, {"派遣", "", false},
	})
}

func TestMatchLevel(t *testing.T) {
	tests := []struct {
		levels []isms.Level
		in     string
		axis   isms.Axis
		want   string // "": no match
	}{
		{r6Levels, "LGC3B", isms.AxisC, "LGC3B"},
		{r6Levels, "lgc3b", isms.AxisC, "LGC3B"},
		{r6Levels, "自治体機密性3B", isms.AxisC, "LGC3B"},
		{r6Levels, "Municipal confidentiality 3B", isms.AxisC, "LGC3B"},
		{r6Levels, "3B", isms.AxisC, "LGC3B"},
		{r6Levels, "3b", isms.AxisC, "LGC3B"},
		{r6Levels, "３Ｂ", isms.AxisC, "LGC3B"},
		{r6Levels, "３ｂ", isms.AxisC, "LGC3B"},
		{r6Levels, "機密性3B", isms.AxisC, "LGC3B"},
		{r6Levels, "機密性３Ａ", isms.AxisC, "LGC3A"},
		{r6Levels, "C3C", isms.AxisC, "LGC3C"},
		{r6Levels, "自治体機密性 2", isms.AxisC, "LGC2"},
		{r6Levels, "1", isms.AxisC, "LGC1"},
		{r6Levels, "2", isms.AxisI, "LGI2"},
		{r6Levels, "完全性2", isms.AxisI, "LGI2"},
		{r6Levels, "LGI1", isms.AxisI, "LGI1"},
		{r6Levels, "Integrity 1", isms.AxisI, "LGI1"},
		{r6Levels, "2", isms.AxisA, "LGA2"},
		{r6Levels, "可用性２", isms.AxisA, "LGA2"},
		{r6Levels, "3", isms.AxisC, ""},    // 3A, 3B or 3C?
		{r6Levels, "LGI2", isms.AxisC, ""}, // another axis's level
		{r6Levels, "完全性2", isms.AxisA, ""}, // another axis's level
		{r6Levels, "3D", isms.AxisC, ""},
		{r6Levels, "", isms.AxisC, ""},
		{r6Levels, "C3", isms.AxisC, ""}, // the previous scheme's code
		{r5Levels, "C3", isms.AxisC, "C3"},
		{r5Levels, "3", isms.AxisC, "C3"},
		{r5Levels, "３", isms.AxisC, "C3"},
		{r5Levels, "機密性3", isms.AxisC, "C3"},
		{r5Levels, "Confidentiality 2", isms.AxisC, "C2"},
		{r5Levels, "2", isms.AxisI, "I2"},
		{r5Levels, "完全性1", isms.AxisI, "I1"},
		{r5Levels, "1", isms.AxisA, "A1"},
		{r5Levels, "3B", isms.AxisC, ""}, // the current scheme's level
		{r5Levels, "LGC3B", isms.AxisC, ""},
	}
	for _, tt := range tests {
		got, ok := MatchLevel(tt.in, tt.axis, tt.levels)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("MatchLevel(%q, %s, %s) = %q, %v; want %q", tt.in, tt.axis, tt.levels[0].Code, got, ok, tt.want)
		}
	}
}
