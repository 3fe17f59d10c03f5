package i18n

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateStyle selects the calendar used to write years.
type DateStyle string

const (
	Seireki DateStyle = "seireki" // Western calendar (西暦)
	Wareki  DateStyle = "wareki"  // Japanese era calendar (和暦)
)

// ParseDateStyle accepts "seireki" or "wareki" case-insensitively, and also
// the Japanese words 西暦 and 和暦.
func ParseDateStyle(s string) (DateStyle, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "seireki", "西暦":
		return Seireki, true
	case "wareki", "和暦":
		return Wareki, true
	}
	return "", false
}

func (s DateStyle) orDefault() DateStyle {
	if s == Wareki {
		return Wareki
	}
	return Seireki
}

// WithDateStyle returns a context carrying s.
func WithDateStyle(ctx context.Context, s DateStyle) context.Context {
	return context.WithValue(ctx, dateStyleKey{}, s)
}

// DateStyleFrom returns the date style stored in ctx, or Seireki when there
// is none or it is not recognised. A nil ctx is tolerated.
func DateStyleFrom(ctx context.Context) DateStyle {
	if ctx == nil {
		return Seireki
	}
	s, _ := ctx.Value(dateStyleKey{}).(DateStyle)
	return s.orDefault()
}

// Era is a Japanese era and a year within it.
type Era struct {
	Name   string // Japanese name, e.g. "令和"
	Romaji string // romanised name for English, e.g. "Reiwa"
	Year   int    // 1-based year within the era
}

type eraStart struct {
	name, romaji string
	y, m, d      int
}

// eras lists era start dates, newest first so the first match wins.
var eras = []eraStart{
	{"令和", "Reiwa", 2019, 5, 1},
	{"平成", "Heisei", 1989, 1, 8},
	{"昭和", "Showa", 1926, 12, 25},
	{"大正", "Taisho", 1912, 7, 30},
	{"明治", "Meiji", 1868, 10, 23},
}

// dateKey orders calendar dates as an integer so era boundaries can be
// compared without building time.Time values in some location.
func dateKey(y, m, d int) int { return y*10000 + m*100 + d }

// EraOf returns the Japanese era for t's calendar date in t's own location.
// Dates before 明治 are reported as 明治 with the year clamped to 1, since
// earlier eras are out of scope for the portal.
func EraOf(t time.Time) Era {
	y, m, d := t.Date()
	k := dateKey(y, int(m), d)
	for _, e := range eras {
		if k >= dateKey(e.y, e.m, e.d) {
			return Era{Name: e.name, Romaji: e.romaji, Year: y - e.y + 1}
		}
	}
	first := eras[len(eras)-1]
	return Era{Name: first.name, Romaji: first.romaji, Year: max(1, y-first.y+1)}
}

// jaYear writes an era year in Japanese, using 元年 for the first year as
// official documents do.
func (e Era) jaYear() string {
	if e.Year == 1 {
		return e.Name + "元年"
	}
	return e.Name + strconv.Itoa(e.Year) + "年"
}

// FormatDate writes t's calendar date (in t's own location):
//
//	ja, Seireki: 2026年11月25日
//	ja, Wareki:  令和8年11月25日 (令和元年5月1日 in an era's first year)
//	en, Seireki: 2026-11-25
//	en, Wareki:  Reiwa 8 (2026)-11-25
//
// Unknown styles and languages fall back to Seireki and Ja.
func FormatDate(t time.Time, style DateStyle, lang Lang) string {
	y, m, d := t.Date()
	wareki := style.orDefault() == Wareki
	if lang.orDefault() == En {
		if wareki {
			e := EraOf(t)
			return fmt.Sprintf("%s %d (%d)-%02d-%02d", e.Romaji, e.Year, y, int(m), d)
		}
		return fmt.Sprintf("%04d-%02d-%02d", y, int(m), d)
	}
	if wareki {
		return fmt.Sprintf("%s%d月%d日", EraOf(t).jaYear(), int(m), d)
	}
	return fmt.Sprintf("%d年%d月%d日", y, int(m), d)
}

// FormatDateCtx formats t with the language and date style carried by ctx.
func FormatDateCtx(ctx context.Context, t time.Time) string {
	return FormatDate(t, DateStyleFrom(ctx), LangFrom(ctx))
}

// FiscalYear returns the Japanese fiscal year (年度) containing t's calendar
// date: January to March belong to the previous year's fiscal year.
func FiscalYear(t time.Time) int {
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

// FiscalYearStart returns 1 April 00:00 of fiscal year fy in loc. A nil loc
// means time.Local, rather than panicking as time.Date would.
func FiscalYearStart(fy int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.Local
	}
	return time.Date(fy, time.April, 1, 0, 0, 0, 0, loc)
}

// FiscalYearEnd returns 00:00 on 31 March of fy+1 in loc, i.e. the start of
// the fiscal year's last day. A nil loc means time.Local.
func FiscalYearEnd(fy int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.Local
	}
	return time.Date(fy+1, time.March, 31, 0, 0, 0, 0, loc)
}

// FormatFiscalYear writes fiscal year fy:
//
//	ja, Seireki: 2026年度
//	ja, Wareki:  令和8年度 (元年度 in an era's first year)
//	en, Seireki: FY2026
//	en, Wareki:  FY Reiwa 8 (2026)
//
// The era is the one in force on 1 April, as municipalities name fiscal
// years by their start: FY2019 is 平成31年度 although 令和 began in May.
func FormatFiscalYear(fy int, style DateStyle, lang Lang) string {
	wareki := style.orDefault() == Wareki
	if lang.orDefault() == En {
		if wareki {
			e := EraOf(FiscalYearStart(fy, time.UTC))
			return fmt.Sprintf("FY %s %d (%d)", e.Romaji, e.Year, fy)
		}
		return fmt.Sprintf("FY%d", fy)
	}
	if wareki {
		return EraOf(FiscalYearStart(fy, time.UTC)).jaYear() + "度"
	}
	return strconv.Itoa(fy) + "年度"
}

// FormatFiscalYearCtx formats fy with the language and date style carried by
// ctx.
func FormatFiscalYearCtx(ctx context.Context, fy int) string {
	return FormatFiscalYear(fy, DateStyleFrom(ctx), LangFrom(ctx))
}

// WarekiYear returns the Western year of year y of an era named by its Japanese name (令和), its
// romanised name (Reiwa) or the initial that forms and spreadsheets abbreviate it to (R), in any
// case. Years run on past an era's end, as offices still write 平成32年 for 2020, and start at
// the era's first calendar year, so that 令和元年 is 2019 whatever the month: the caller checks
// the date, not the era's span.
func WarekiYear(era string, y int) (int, bool) {
	if y < 1 {
		return 0, false
	}
	for _, e := range eras {
		if era == e.name || strings.EqualFold(era, e.romaji) || len(era) == 1 && strings.EqualFold(era, e.romaji[:1]) {
			return e.y + y - 1, true
		}
	}
	return 0, false
}
