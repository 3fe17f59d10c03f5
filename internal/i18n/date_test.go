package i18n

import (
	"context"
	"testing"
	"time"
)

// jst avoids depending on tzdata being installed.
var jst = time.FixedZone("JST", 9*60*60)

func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, jst)
}

func TestParseDateStyle(t *testing.T) {
	tests := []struct {
		in     string
		want   DateStyle
		wantOK bool
	}{
		{"seireki", Seireki, true},
		{"Wareki", Wareki, true},
		{" WAREKI ", Wareki, true},
		{"西暦", Seireki, true},
		{"和暦", Wareki, true},
		{"", "", false},
		{"gregorian", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseDateStyle(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseDateStyle(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestEraOf(t *testing.T) {
	tests := []struct {
		t    time.Time
		want Era
	}{
		{day(2026, 11, 25), Era{"令和", "Reiwa", 8}},
		{day(2019, 5, 1), Era{"令和", "Reiwa", 1}},
		{day(2019, 4, 30), Era{"平成", "Heisei", 31}},
		{day(1989, 1, 8), Era{"平成", "Heisei", 1}},
		{day(1989, 1, 7), Era{"昭和", "Showa", 64}},
		{day(1926, 12, 25), Era{"昭和", "Showa", 1}},
		{day(1926, 12, 24), Era{"大正", "Taisho", 15}},
		{day(1912, 7, 30), Era{"大正", "Taisho", 1}},
		{day(1912, 7, 29), Era{"明治", "Meiji", 45}},
		{day(1868, 10, 23), Era{"明治", "Meiji", 1}},
		{day(1868, 1, 1), Era{"明治", "Meiji", 1}},
		{day(1800, 6, 1), Era{"明治", "Meiji", 1}},
	}
	for _, tt := range tests {
		if got := EraOf(tt.t); got != tt.want {
			t.Errorf("EraOf(%s) = %+v, want %+v", tt.t.Format(time.DateOnly), got, tt.want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	tests := []struct {
		t     time.Time
		style DateStyle
		lang  Lang
		want  string
	}{
		{day(2026, 11, 25), Seireki, Ja, "2026年11月25日"},
		{day(2026, 11, 25), Wareki, Ja, "令和8年11月25日"},
		{day(2019, 4, 30), Wareki, Ja, "平成31年4月30日"},
		{day(2019, 5, 1), Wareki, Ja, "令和元年5月1日"},
		{day(1989, 1, 7), Wareki, Ja, "昭和64年1月7日"},
		{day(1989, 1, 8), Wareki, Ja, "平成元年1月8日"},
		{day(2026, 1, 5), Seireki, Ja, "2026年1月5日"},
		{day(2026, 11, 25), Seireki, En, "2026-11-25"},
		{day(2026, 1, 5), Seireki, En, "2026-01-05"},
		{day(2026, 11, 25), Wareki, En, "Reiwa 8 (2026)-11-25"},
		{day(2019, 5, 1), Wareki, En, "Reiwa 1 (2019)-05-01"},
		{day(1989, 1, 7), Wareki, En, "Showa 64 (1989)-01-07"},
		// Unknown style/lang fall back to Seireki/Ja.
		{day(2026, 11, 25), "", "", "2026年11月25日"},
		// Early morning JST on 1 May is still 30 April in UTC; the time's own
		// location must win.
		{time.Date(2019, 5, 1, 0, 30, 0, 0, jst), Wareki, Ja, "令和元年5月1日"},
		{time.Date(2019, 4, 30, 23, 30, 0, 0, jst), Wareki, Ja, "平成31年4月30日"},
	}
	for _, tt := range tests {
		if got := FormatDate(tt.t, tt.style, tt.lang); got != tt.want {
			t.Errorf("FormatDate(%s, %q, %q) = %q, want %q", tt.t, tt.style, tt.lang, got, tt.want)
		}
	}
}

func TestFormatDateCtx(t *testing.T) {
	d := day(2026, 11, 25)
	tests := []struct {
		ctx  context.Context
		want string
	}{
		{context.Background(), "2026年11月25日"},
		{WithDateStyle(context.Background(), Wareki), "令和8年11月25日"},
		{WithLang(context.Background(), En), "2026-11-25"},
		{WithDateStyle(WithLang(context.Background(), En), Wareki), "Reiwa 8 (2026)-11-25"},
	}
	for i, tt := range tests {
		if got := FormatDateCtx(tt.ctx, d); got != tt.want {
			t.Errorf("case %d: FormatDateCtx = %q, want %q", i, got, tt.want)
		}
	}
}

func TestFiscalYear(t *testing.T) {
	tests := []struct {
		t    time.Time
		want int
	}{
		{time.Date(2027, 3, 31, 23, 59, 59, 0, jst), 2026},
		{time.Date(2027, 4, 1, 0, 0, 0, 0, jst), 2027},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, jst), 2026},
		{time.Date(2026, 3, 31, 23, 59, 59, 0, jst), 2025},
		{day(2026, 1, 1), 2025},
		{day(2026, 12, 31), 2026},
		// 1 April 00:30 JST is 31 March in UTC; no conversion is applied.
		{time.Date(2026, 4, 1, 0, 30, 0, 0, jst), 2026},
	}
	for _, tt := range tests {
		if got := FiscalYear(tt.t); got != tt.want {
			t.Errorf("FiscalYear(%s) = %d, want %d", tt.t, got, tt.want)
		}
	}
	if got, want := FormatFiscalYear(FiscalYear(day(2027, 3, 31)), Wareki, Ja), "令和8年度"; got != want {
		t.Errorf("FormatFiscalYear(FiscalYear(2027-03-31), Wareki, Ja) = %q, want %q", got, want)
	}
}

func TestFiscalYearBounds(t *testing.T) {
	start := FiscalYearStart(2026, jst)
	if want := time.Date(2026, 4, 1, 0, 0, 0, 0, jst); !start.Equal(want) || start.Location() != jst {
		t.Errorf("FiscalYearStart(2026) = %s, want %s", start, want)
	}
	end := FiscalYearEnd(2026, jst)
	if want := time.Date(2027, 3, 31, 0, 0, 0, 0, jst); !end.Equal(want) || end.Location() != jst {
		t.Errorf("FiscalYearEnd(2026) = %s, want %s", end, want)
	}
	if FiscalYear(start) != 2026 || FiscalYear(end) != 2026 {
		t.Errorf("bounds not inside FY2026: %d, %d", FiscalYear(start), FiscalYear(end))
	}
	if got := FiscalYear(end.AddDate(0, 0, 1)); got != 2027 {
		t.Errorf("day after FiscalYearEnd(2026) is in FY%d, want 2027", got)
	}
	// nil location must not panic.
	_ = FiscalYearStart(2026, nil)
	_ = FiscalYearEnd(2026, nil)
}

func TestFormatFiscalYear(t *testing.T) {
	tests := []struct {
		fy    int
		style DateStyle
		lang  Lang
		want  string
	}{
		{2026, Seireki, Ja, "2026年度"},
		{2026, Wareki, Ja, "令和8年度"},
		{2019, Wareki, Ja, "平成31年度"},
		{2020, Wareki, Ja, "令和2年度"},
		{1989, Wareki, Ja, "平成元年度"},
		{2026, Seireki, En, "FY2026"},
		{2026, Wareki, En, "FY Reiwa 8 (2026)"},
		{2019, Wareki, En, "FY Heisei 31 (2019)"},
		{2020, Wareki, En, "FY Reiwa 2 (2020)"},
	}
	for _, tt := range tests {
		if got := FormatFiscalYear(tt.fy, tt.style, tt.lang); got != tt.want {
			t.Errorf("FormatFiscalYear(%d, %q, %q) = %q, want %q", tt.fy, tt.style, tt.lang, got, tt.want)
		}
	}
}

func TestFormatFiscalYearCtx(t *testing.T) {
	tests := []struct {
		ctx  context.Context
		want string
	}{
		{context.Background(), "2026年度"},
		{WithDateStyle(context.Background(), Wareki), "令和8年度"},
		{WithLang(context.Background(), En), "FY2026"},
		{WithDateStyle(WithLang(context.Background(), En), Wareki), "FY Reiwa 8 (2026)"},
	}
	for i, tt := range tests {
		if got := FormatFiscalYearCtx(tt.ctx, 2026); got != tt.want {
			t.Errorf("case %d: FormatFiscalYearCtx = %q, want %q", i, got, tt.want)
		}
	}
}
