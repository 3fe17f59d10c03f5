package ledger

import (
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
)

// Key normalises a header or a value for matching, so that the ways people type the same word
// compare equal: NFKC (full-width letters and digits become half-width, half-width katakana
// full-width), lower case, and without spaces (U+3000 too), line breaks, "・", "_", hyphens,
// colons and parentheses. "ＬＧＷＡＮ 接続系" and "lgwan接続系" have the same key.
func Key(s string) string {
	s = norm.NFKC.String(s)
	for i, r := range s {
		if keyDrops(r) || unicode.ToLower(r) != r {
			return keySlow(s, i)
		}
	}
	return s
}

// keySlow finishes Key from byte i, the first rune that changes; the common case of a value
// already in its key form allocates nothing.
func keySlow(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if !keyDrops(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// keyDrops reports whether Key leaves r out. It sees text after NFKC, which has already turned
// the full-width forms (（）：－) into ASCII.
func keyDrops(r rune) bool {
	switch r {
	case '・', '_', '-', '(', ')', ':', '‐', '−':
		return true
	}
	return unicode.IsSpace(r)
}

var tokyo = time.FixedZone("JST", 9*3600)

// Excel's day numbers (シリアル値) count from 1899-12-30 for every day since March 1900 (Excel
// also counts a 29 February 1900 that never was); 2958465 is 9999-12-31.
const (
	maxSerial = 2958465
	// minDay is 1927-05-18: smaller day numbers are not dates a register holds, and "2026" alone is
	// a year someone typed, not day 2026 of Excel's count (1905-07-18).
	minDay = 10000
)

// ParseDate reads a date as towns write it, and returns it at midnight in Japan (JST):
//
//	西暦: 2026/4/1, 2026-04-01, 2026.4.1, 2026年4月1日, 20260401, full-width ２０２６／４／１
//	和暦: 令和8年4月1日, 令和元年5月1日, R8.4.1, R8/4/1, r8.4.1, H31.4.30, S64.1.7, ㋿8.4.1
//	Excel's day number: 46113 (2026-04-01), also with a time of day (46113.5)
//
// A time after the date (2026/4/1 0:00:00, 2026-04-01T09:30) is ignored. Western years have
// four digits, from 1868 (明治元年) to 9999. An era year past the era's end counts on (平成32年
// is 2020, as offices still write it), and one before the era's start counts back (令和1年4月1日
// is 2019-04-01): the date is read as written, not checked against the era. A day number with a
// time of day must be 10000 or more, so that 2026.4 (a year and a month) is not read as one.
// Days that do not exist (2026/2/30) are refused.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(norm.NFKC.String(s))
	if s == "" {
		return time.Time{}, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		if t, ok, done := parseNumberDate(s); done {
			return t, ok
		}
	}
	p := dateScanner{s: s}
	y, ok := p.year()
	if !ok {
		return time.Time{}, false
	}
	p.spaces()
	sep, ok := p.separator("年")
	if !ok {
		return time.Time{}, false
	}
	p.spaces()
	m, ok := p.number(2)
	if !ok {
		return time.Time{}, false
	}
	p.spaces()
	if sep == "年" {
		sep = "月"
	}
	if !p.literal(sep) {
		return time.Time{}, false
	}
	p.spaces()
	d, ok := p.number(2)
	if !ok {
		return time.Time{}, false
	}
	if sep == "月" {
		p.suffix("日")
	}
	if !p.timeOfDay() {
		return time.Time{}, false
	}
	return validDate(y, m, d)
}

// parseNumberDate reads a date written as digits alone: 20260401, or Excel's day number. done
// is false when s is not only digits (with at most one decimal point), for the other forms.
func parseNumberDate(s string) (t time.Time, ok, done bool) {
	whole, frac, dotted := strings.Cut(s, ".")
	if !allDigits(whole) || dotted && (!allDigits(frac) || frac == "") {
		return time.Time{}, false, false
	}
	if len(whole) == 8 && !dotted {
		y, m, d := digitsValue(whole[:4]), digitsValue(whole[4:6]), digitsValue(whole[6:])
		t, ok = validDate(y, m, d)
		return t, ok, true
	}
	if len(whole) > 7 {
		return time.Time{}, false, true
	}
	n := digitsValue(whole)
	if dotted && n < minDay {
		// 2026.4 and R-less 8.4.1 are not day numbers; let the other forms refuse or read them.
		return time.Time{}, false, false
	}
	if n < minDay || n > maxSerial {
		return time.Time{}, false, true
	}
	return time.Date(1899, time.December, 30, 0, 0, 0, 0, tokyo).AddDate(0, 0, n), true, true
}

// validDate builds the day, refusing the days that do not exist and years outside 1868–9999.
func validDate(y, m, d int) (time.Time, bool) {
	if y < 1868 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, tokyo)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// dateScanner reads a date in NFKC form from left to right.
type dateScanner struct {
	s string
	i int
}

// year reads the year with its era, if any: 2026, 令和8, 令和元, R8.
func (p *dateScanner) year() (int, bool) {
	start := p.i
	for p.i < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.i:])
		if !unicode.IsLetter(r) || r == '元' {
			break
		}
		p.i += n
	}
	era := p.s[start:p.i]
	if era == "" {
		y, ok := p.number(4)
		return y, ok && p.i-start == 4
	}
	p.spaces()
	y, ok := 1, p.literal("元")
	if !ok {
		if y, ok = p.number(2); !ok {
			return 0, false
		}
	}
	return i18n.WarekiYear(era, y)
}

// separator reads the separator after the year: / - . or kanji (年), which the next one must
// match.
func (p *dateScanner) separator(kanji string) (string, bool) {
	for _, sep := range []string{"/", "-", ".", kanji} {
		if p.literal(sep) {
			return sep, true
		}
	}
	return "", false
}

// number reads 1 to max digits.
func (p *dateScanner) number(max int) (int, bool) {
	start := p.i
	for p.i < len(p.s) && p.i-start < max && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	if p.i == start || p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		return 0, false
	}
	return digitsValue(p.s[start:p.i]), true
}

func (p *dateScanner) literal(lit string) bool {
	if strings.HasPrefix(p.s[p.i:], lit) {
		p.i += len(lit)
		return true
	}
	return false
}

// suffix reads lit if it follows, after spaces or not.
func (p *dateScanner) suffix(lit string) {
	i := p.i
	p.spaces()
	if !p.literal(lit) {
		p.i = i
	}
}

func (p *dateScanner) spaces() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// timeOfDay accepts the end of the text, or a time after the date as spreadsheets and systems
// write it: " 0:00:00", " 9:30", "T09:30:00", "T09:30:00.000".
func (p *dateScanner) timeOfDay() bool {
	rest := p.s[p.i:]
	if rest == "" {
		return true
	}
	if rest[0] != ' ' && rest[0] != '\t' && rest[0] != 'T' && rest[0] != 't' {
		return false
	}
	rest = strings.TrimSpace(rest[1:])
	h, ms, ok := strings.Cut(rest, ":")
	if !ok || len(h) < 1 || len(h) > 2 || !allDigits(h) || len(ms) < 2 || !allDigits(ms[:2]) {
		return false
	}
	for _, r := range ms[2:] {
		if r != ':' && r != '.' && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// digitsValue reads at most 9 digits, which allDigits has checked.
func digitsValue(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// Marks that mean yes and no in a ledger's check columns, by Key.
var boolWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"○", "〇", "◯", "●", "✓", "✔", "レ", "有", "あり", "有り", "はい", "yes", "y", "true",
		"1", "対象", "該当", "含む"} {
		m[Key(w)] = true
	}
	for _, w := range []string{"", "×", "✕", "ー", "―", "—", "–", "無", "なし", "無し", "いいえ", "no", "n", "false", "0",
		"非該当", "対象外", "含まない"} {
		m[Key(w)] = false
	}
	return m
}()

// ParseBool reads a yes/no cell: ○, 有, あり, 該当, yes, 1 … are true; the empty cell, ×, -,
// 無, なし, 非該当, no, 0 … are false. ok is false for anything else.
func ParseBool(s string) (v, ok bool) {
	v, ok = boolWords[Key(s)]
	return v, ok
}

// ParseInt reads a count or a number of hours: full-width digits, thousands separators (1,200
// or 1，200), a leading 約 and a trailing unit (人, 名, 件, 時間, h) are fine. Negative numbers,
// fractions and numbers beyond 2,147,483,647 (the database's integer) are not.
func ParseInt(s string) (int, bool) {
	s = strings.TrimSpace(norm.NFKC.String(s))
	s = strings.TrimSpace(strings.TrimPrefix(s, "約"))
	for _, unit := range []string{"時間", "人", "名", "件", "hours", "hour", "hrs", "hr", "h"} {
		if len(s) > len(unit) && strings.EqualFold(s[len(s)-len(unit):], unit) {
			s = strings.TrimSpace(s[:len(s)-len(unit)])
			break
		}
	}
	n, seen := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ',' && seen:
		case c >= '0' && c <= '9':
			n, seen = n*10+int(c-'0'), true
			if n > math.MaxInt32 {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	if !seen || s[len(s)-1] == ',' {
		return 0, false
	}
	return n, true
}

// choices maps the keys of the names a choice goes by to its code: the code itself, its names in
// the catalogue (Japanese and English), and the other names towns use.
type choices[T ~string] map[string]T

// newChoices indexes codes by themselves and by their catalogue names prefix+code; extra adds
// other names.
func newChoices[T ~string](prefix string, codes []T, extra map[string]T) choices[T] {
	c := choices[T]{}
	for _, code := range codes {
		c[Key(string(code))] = code
		for _, lang := range i18n.Languages() {
			if name := lang.T(prefix + string(code)); name != prefix+string(code) {
				c[Key(name)] = code
			}
		}
	}
	for name, code := range extra {
		c[Key(name)] = code
	}
	return c
}

// parse returns the code s names; the empty cell is no choice ("", true).
func (c choices[T]) parse(s string) (T, bool) {
	k := Key(s)
	if k == "" {
		return "", true
	}
	v, ok := c[k]
	return v, ok
}

var zones = newChoices("zone.", isms.Zones, map[string]isms.Zone{
	"マイナンバー系": isms.ZoneMyNumber, "マイナンバー利用事務": isms.ZoneMyNumber, "個人番号利用事務系": isms.ZoneMyNumber,
	"個人番号利用事務": isms.ZoneMyNumber, "個人番号系": isms.ZoneMyNumber,
	"LGWAN系": isms.ZoneLGWAN, "LGWAN接続": isms.ZoneLGWAN,
	"インターネット系": isms.ZoneInternet, "インターネット接続": isms.ZoneInternet, "インターネット": isms.ZoneInternet,
	"スタンドアロン": isms.ZoneOther, "スタンドアローン": isms.ZoneOther, "その他": isms.ZoneOther, "standalone": isms.ZoneOther,
})

// ParseZone reads a network zone: its code (LGWAN), its name (LGWAN接続系, マイナンバー利用事務系,
// インターネット接続系, その他) or a short name (マイナンバー系, インターネット系, スタンドアロン).
// The empty cell is no zone ("", true).
func ParseZone(s string) (isms.Zone, bool) { return zones.parse(s) }

var forms = newChoices("asset.form.", isms.AssetForms, map[string]isms.AssetForm{
	"電子データ": isms.FormElectronic, "電磁的記録": isms.FormElectronic, "データ": isms.FormElectronic,
	"紙文書": isms.FormPaper, "紙媒体": isms.FormPaper, "文書": isms.FormPaper,
	"両方": isms.FormBoth, "電子・紙": isms.FormBoth, "電子/紙": isms.FormBoth, "紙・電子": isms.FormBoth,
	"電子及び紙": isms.FormBoth, "電子と紙": isms.FormBoth,
})

// ParseForm reads an asset's form: electronic (電子, 電子データ), paper (紙, 紙文書) or both
// (両方, 電子・紙). The empty cell is no form ("", true).
func ParseForm(s string) (isms.AssetForm, bool) { return forms.parse(s) }

var statuses = newChoices("asset.status.", isms.AssetStatuses, map[string]isms.AssetStatus{
	"保管中": isms.AssetStored, "使用中": isms.AssetInUse, "運用中": isms.AssetInUse, "稼働中": isms.AssetInUse,
	"廃棄": isms.AssetDisposed, "廃棄済み": isms.AssetDisposed,
})

// ParseStatus reads an asset's status: 利用中 (in_use) or 保管/保管中 (stored). 廃棄済 is read
// but not ok (AssetDisposed, false): an asset is disposed of through a disposal, not a file. The
// empty cell is no status ("", true).
func ParseStatus(s string) (isms.AssetStatus, bool) {
	st, ok := statuses.parse(s)
	return st, ok && st != isms.AssetDisposed
}

var hostings = newChoices("system.hosting.", isms.Hostings, map[string]isms.Hosting{
	"庁内": isms.HostingOnPremises, "庁舎内": isms.HostingOnPremises, "オンプレミス": isms.HostingOnPremises,
	"オンプレ": isms.HostingOnPremises, "自庁設置": isms.HostingOnPremises,
	"DC": isms.HostingDataCenter, "データセンタ": isms.HostingDataCenter, "外部データセンター": isms.HostingDataCenter,
	"ガバクラ": isms.HostingGovCloud, "政府クラウド": isms.HostingGovCloud,
	"ASP":  isms.HostingLGWANASP,
	"パブクラ": isms.HostingPublicCloud, "民間クラウド": isms.HostingPublicCloud,
})

// ParseHosting reads where a system runs: 庁内設置 (オンプレミス), データセンター, ガバメント
// クラウド, LGWAN-ASP or パブリッククラウド, or their codes. The empty cell is none ("", true).
func ParseHosting(s string) (isms.Hosting, bool) { return hostings.parse(s) }

var sanitizations = newChoices("system.sanitization.", isms.Sanitizations, map[string]isms.Sanitization{
	"メールテキスト化": isms.SanitizeText, "テキスト変換": isms.SanitizeText,
	"画面転送方式": isms.SanitizeScreen, "仮想ブラウザ": isms.SanitizeScreen,
	"ファイル無害化処理": isms.SanitizeFile, "CDR": isms.SanitizeFile,
	"なし": "", "無し": "", "無": "", "none": "", "該当なし": "", "非該当": "",
})

// ParseSanitization reads how a system's data is sanitised: テキスト化, 画面転送, ファイル無害化,
// or their codes; なし and the empty cell are none ("", true).
func ParseSanitization(s string) (isms.Sanitization, bool) { return sanitizations.parse(s) }

var employments = newChoices("employment.", isms.EmploymentTypes, map[string]isms.EmploymentType{
	"正職員": isms.EmploymentRegular, "正規": isms.EmploymentRegular, "常勤職員": isms.EmploymentRegular,
	"会計年度": isms.EmploymentFiscalYear, "会計年度職員": isms.EmploymentFiscalYear,
	"臨時": isms.EmploymentTemporary, "臨時的任用職員": isms.EmploymentTemporary,
	"委託": isms.EmploymentContractor, "委託先": isms.EmploymentContractor, "委託事業者": isms.EmploymentContractor,
})

// ParseEmployment reads how a person works for the town: 正規職員, 会計年度任用職員, 臨時職員 or
// 委託先従事者 (and short names: 正職員, 会計年度, 臨時, 委託), or their codes. The empty cell is
// none ("", true).
func ParseEmployment(s string) (isms.EmploymentType, bool) { return employments.parse(s) }

// Words for an axis, which a short level may follow: 機密性3B, Confidentiality 3B.
var axisWords = map[isms.Axis][]string{
	isms.AxisC: {"機密性", "自治体機密性", "confidentiality", "c"},
	isms.AxisI: {"完全性", "integrity", "i"},
	isms.AxisA: {"可用性", "availability", "a"},
}

// levelIndex finds the levels of one scheme by the keys of the ways they are written.
type levelIndex struct {
	codes  map[isms.Axis]map[string]string
	tokens map[isms.Axis][]string // the short forms, strictest first, for messages
}

// newLevelIndex indexes each level by its code (LGC3B), names (自治体機密性3B, Municipal
// confidentiality 3B) and its short form, the level token that ends its name (3B), alone or
// after a word for its axis (機密性3B, C3B).
func newLevelIndex(levels []isms.Level) levelIndex {
	ix := levelIndex{codes: map[isms.Axis]map[string]string{}, tokens: map[isms.Axis][]string{}}
	for _, l := range levels {
		m := ix.codes[l.Axis]
		if m == nil {
			m = map[string]string{}
			ix.codes[l.Axis] = m
		}
		for _, s := range []string{l.Code, l.NameJa, l.NameEn} {
			if k := Key(s); k != "" {
				m[k] = l.Code
			}
		}
		short := levelToken(l.NameJa)
		if short == "" {
			continue
		}
		ix.tokens[l.Axis] = append(ix.tokens[l.Axis], short)
		tok := Key(short)
		m[tok] = l.Code
		for _, w := range axisWords[l.Axis] {
			m[w+tok] = l.Code
		}
	}
	return ix
}

// levelToken is the trailing run of ASCII letters and digits of a level's name: "3B" of
// 自治体機密性3B, "2" of 完全性2.
func levelToken(name string) string {
	name = norm.NFKC.String(strings.TrimSpace(name))
	i := len(name)
	for i > 0 && (name[i-1] >= '0' && name[i-1] <= '9' || name[i-1]|0x20 >= 'a' && name[i-1]|0x20 <= 'z') {
		i--
	}
	return name[i:]
}

func (ix levelIndex) match(s string, axis isms.Axis) (string, bool) {
	k := Key(s)
	if k == "" {
		return "", false
	}
	code, ok := ix.codes[axis][k]
	return code, ok
}

// MatchLevel returns the code of the level of axis, among levels (the active scheme's), that s
// names: by its code (LGC3B), its Japanese or English name (自治体機密性3B), or the short form
// towns write (3B, ３ｂ, 機密性3B, C3B; 2 or 完全性2 for integrity; 3 or 機密性3 under the
// previous scheme). The empty cell names none.
func MatchLevel(s string, axis isms.Axis, levels []isms.Level) (string, bool) {
	return newLevelIndex(levels).match(s, axis)
}
