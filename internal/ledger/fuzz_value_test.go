package ledger

import (
	"slices"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// FuzzParseDate checks that no text makes ParseDate panic, and that every date it accepts is a
// real day of a year between 明治元年 and 9999, at midnight in Japan.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026/4/1", "令和8年4月1日", "R元.5.1", "46113", "46113.5", "20260401", "2026-04-01T09:30:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDate(s)
		if !ok {
			if !d.IsZero() {
				t.Errorf("ParseDate(%q) refused but returned %v", s, d)
			}
			return
		}
		if y := d.Year(); y < 1868 || y > 9999 {
			t.Errorf("ParseDate(%q) = %v: year out of range", s, d)
		}
		if h, m, sec := d.Clock(); h != 0 || m != 0 || sec != 0 || d.Nanosecond() != 0 || d.Location().String() != "JST" {
			t.Errorf("ParseDate(%q) = %v, want midnight JST", s, d)
		}
		again, ok := ParseDate(d.Format("2006/1/2"))
		if !ok || !again.Equal(d) {
			t.Errorf("ParseDate(%q) = %v, which does not read back (%v, %v)", s, d, again, ok)
		}
	})
}

// FuzzMatchLevel checks that no text makes MatchLevel panic, that a match is a level of the axis
// asked for in the scheme given, and that the level's own code matches it again.
func FuzzMatchLevel(f *testing.F) {
	for _, s := range []string{"3B", "３ｂ", "自治体機密性3A", "機密性3", "LGI2", "完全性2", "C3", "2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, levels := range [][]isms.Level{r6Levels, r5Levels} {
			for _, axis := range isms.Axes {
				code, ok := MatchLevel(s, axis, levels)
				if !ok {
					if code != "" {
						t.Errorf("MatchLevel(%q, %s) refused but returned %q", s, axis, code)
					}
					continue
				}
				if !slices.ContainsFunc(levels, func(l isms.Level) bool { return l.Code == code && l.Axis == axis }) {
					t.Errorf("MatchLevel(%q, %s) = %q, not a level of that axis", s, axis, code)
				}
				if again, _ := MatchLevel(code, axis, levels); again != code {
					t.Errorf("MatchLevel(%q, %s) = %q, but the code matches %q", s, axis, code, again)
				}
			}
		}
	})
}
