// Package i18n provides the portal's message catalogues (Japanese by default,
// English as the alternative), date formatting in the Western calendar (西暦)
// or Japanese era calendar (和暦), and Japanese fiscal years (年度), which run
// from 1 April to 31 March.
//
// Times are always read in their own location; callers are expected to pass
// Asia/Tokyo times, and nothing here converts them.
package i18n

import (
	"context"
	"fmt"
	"strings"
)

// Lang is a UI language.
type Lang string

const (
	Ja Lang = "ja"
	En Lang = "en"
)

// catalogues maps each supported language to its messages.
var catalogues = map[Lang]map[string]string{
	Ja: ja,
	En: en,
}

// Languages returns the supported languages in display order, for building a
// language switcher.
func Languages() []Lang { return []Lang{Ja, En} }

// ParseLang accepts "ja" or "en" case-insensitively, with an optional region
// ("ja-JP", "en_US"), as found in cookies, query strings and Accept-Language.
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Languages() {
		base := string(l)
		if s == base || strings.HasPrefix(s, base+"-") || strings.HasPrefix(s, base+"_") {
			return l, true
		}
	}
	return "", false
}

// known reports whether l has a catalogue.
func (l Lang) known() bool {
	_, ok := catalogues[l]
	return ok
}

// orDefault maps unknown values (including the zero value) to Ja, so a
// Lang that never went through ParseLang still renders something sensible.
func (l Lang) orDefault() Lang {
	if l.known() {
		return l
	}
	return Ja
}

// T looks key up in l's catalogue and, when args are given, formats the
// message with fmt.Sprintf. A missing key yields the key itself so that the
// gap is visible on the page rather than rendering as blank text.
func (l Lang) T(key string, args ...any) string {
	msg, ok := catalogues[l.orDefault()][key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Unexported key types keep other packages from colliding with ours.
type (
	langKey      struct{}
	dateStyleKey struct{}
)

// WithLang returns a context carrying l.
func WithLang(ctx context.Context, l Lang) context.Context {
	return context.WithValue(ctx, langKey{}, l)
}

// LangFrom returns the language stored in ctx, or Ja when there is none or
// it is not a supported language. A nil ctx is tolerated.
func LangFrom(ctx context.Context) Lang {
	if ctx == nil {
		return Ja
	}
	l, _ := ctx.Value(langKey{}).(Lang)
	return l.orDefault()
}

// T translates key in the language carried by ctx.
func T(ctx context.Context, key string, args ...any) string {
	return LangFrom(ctx).T(key, args...)
}
