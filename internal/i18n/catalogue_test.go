package i18n

import (
	"context"
	"maps"
	"slices"
	"testing"
)

func TestCataloguesHaveSameKeys(t *testing.T) {
	var missingInEn, missingInJa []string
	for k := range ja {
		if _, ok := en[k]; !ok {
			missingInEn = append(missingInEn, k)
		}
	}
	for k := range en {
		if _, ok := ja[k]; !ok {
			missingInJa = append(missingInJa, k)
		}
	}
	slices.Sort(missingInEn)
	slices.Sort(missingInJa)
	if len(missingInEn) > 0 {
		t.Errorf("keys missing in en: %v", missingInEn)
	}
	if len(missingInJa) > 0 {
		t.Errorf("keys missing in ja: %v", missingInJa)
	}
}

func TestCataloguesRegistered(t *testing.T) {
	for _, l := range Languages() {
		if catalogues[l] == nil {
			t.Errorf("no catalogue registered for %q", l)
		}
	}
}

func TestNoEmptyValues(t *testing.T) {
	for l, cat := range catalogues {
		for _, k := range slices.Sorted(maps.Keys(cat)) {
			if cat[k] == "" {
				t.Errorf("%s: %q is empty", l, k)
			}
		}
	}
}

// verbs counts fmt verbs in s by their verb letter, ignoring %%.
func verbs(s string) map[rune]int {
	n := map[rune]int{}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '%' {
			continue
		}
		i++
		// Skip flags, width, precision and explicit argument indexes.
		for i < len(rs) && (rs[i] == '+' || rs[i] == '-' || rs[i] == '#' || rs[i] == ' ' ||
			rs[i] == '.' || rs[i] == '[' || rs[i] == ']' || rs[i] == '*' || (rs[i] >= '0' && rs[i] <= '9')) {
			i++
		}
		if i < len(rs) && rs[i] != '%' {
			n[rs[i]]++
		}
	}
	return n
}

func TestVerbsMatch(t *testing.T) {
	for _, k := range slices.Sorted(maps.Keys(ja)) {
		e, ok := en[k]
		if !ok {
			continue // reported by TestCataloguesHaveSameKeys
		}
		if gj, ge := verbs(ja[k]), verbs(e); !maps.Equal(gj, ge) {
			t.Errorf("%q: ja verbs %v, en verbs %v", k, gj, ge)
		}
	}
}

func TestVerbsHelper(t *testing.T) {
	got := verbs("a %s b %d c %% d %5.2f %[1]s")
	want := map[rune]int{'s': 2, 'd': 1, 'f': 1}
	if !maps.Equal(got, want) {
		t.Errorf("verbs = %v, want %v", got, want)
	}
}

func TestParseLang(t *testing.T) {
	tests := []struct {
		in     string
		want   Lang
		wantOK bool
	}{
		{"ja", Ja, true},
		{"JA", Ja, true},
		{"ja-JP", Ja, true},
		{"ja_jp", Ja, true},
		{" en ", En, true},
		{"en", En, true},
		{"EN-us", En, true},
		{"en-GB", En, true},
		{"", "", false},
		{"fr", "", false},
		{"jav", "", false},
		{"english", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseLang(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestLangT(t *testing.T) {
	tests := []struct {
		lang Lang
		key  string
		args []any
		want string
	}{
		{Ja, "nav.home", nil, "ホーム"},
		{En, "nav.home", nil, "Home"},
		{Ja, "home.today", nil, "本日"},
		{En, "error.server.body", []any{"r-42"}, "An error occurred while processing your request. Please wait a moment and try again. If the problem continues, contact your information systems staff. Reference: r-42"},
		{Ja, "error.server.body", []any{"r-42"}, "処理中にエラーが発生しました。時間をおいて再度お試しください。問題が続く場合は情報システム担当者に連絡してください。参照番号: r-42"},
		{Ja, "lang.en", nil, "English"},
		{En, "lang.ja", nil, "日本語"},
		{Ja, "no.such.key", nil, "no.such.key"},
		{En, "no.such.key", []any{1}, "no.such.key"},
		{"", "nav.home", nil, "ホーム"},   // zero value falls back to ja
		{"fr", "nav.home", nil, "ホーム"}, // unknown language falls back to ja
	}
	for _, tt := range tests {
		if got := tt.lang.T(tt.key, tt.args...); got != tt.want {
			t.Errorf("Lang(%q).T(%q, %v) = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
	}
}

func TestContextDefaults(t *testing.T) {
	ctx := context.Background()
	if got := LangFrom(ctx); got != Ja {
		t.Errorf("LangFrom(empty) = %q, want %q", got, Ja)
	}
	if got := DateStyleFrom(ctx); got != Seireki {
		t.Errorf("DateStyleFrom(empty) = %q, want %q", got, Seireki)
	}
	// A nil context must not panic.
	if got := LangFrom(nil); got != Ja { //nolint:staticcheck // SA1012 is the point here
		t.Errorf("LangFrom(nil) = %q, want %q", got, Ja)
	}
	if got := DateStyleFrom(nil); got != Seireki { //nolint:staticcheck
		t.Errorf("DateStyleFrom(nil) = %q, want %q", got, Seireki)
	}
	if got := T(ctx, "nav.home"); got != "ホーム" {
		t.Errorf("T(empty, nav.home) = %q, want %q", got, "ホーム")
	}
}

func TestContextRoundTrip(t *testing.T) {
	ctx := WithDateStyle(WithLang(context.Background(), En), Wareki)
	if got := LangFrom(ctx); got != En {
		t.Errorf("LangFrom = %q, want %q", got, En)
	}
	if got := DateStyleFrom(ctx); got != Wareki {
		t.Errorf("DateStyleFrom = %q, want %q", got, Wareki)
	}
	if got, want := T(ctx, "home.today"), "Today"; got != want {
		t.Errorf("T(en, home.today) = %q, want %q", got, want)
	}
	bad := WithDateStyle(WithLang(context.Background(), "xx"), "yy")
	if got := LangFrom(bad); got != Ja {
		t.Errorf("LangFrom(invalid) = %q, want %q", got, Ja)
	}
	if got := DateStyleFrom(bad); got != Seireki {
		t.Errorf("DateStyleFrom(invalid) = %q, want %q", got, Seireki)
	}
}
