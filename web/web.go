// Package web holds the portal's pages as templ components and its static files. Components take
// their data as parameters and never touch the database; only cross-cutting facts (language, date
// style, the current URL) come from the context, through zero-value-safe accessors.
package web

import (
	"context"
	"embed"
)

// Static holds the stylesheets and scripts served under /static/.
//
//go:embed static
var Static embed.FS

type ctxKey int

const (
	currentURLKey ctxKey = iota
	flashKey
)

// WithCurrentURL returns a copy of ctx that knows the path and query of the page being rendered,
// so that the language switch can return to it.
func WithCurrentURL(ctx context.Context, u string) context.Context {
	return context.WithValue(ctx, currentURLKey, u)
}

// CurrentURL returns the path and query of the page being rendered, or "/".
func CurrentURL(ctx context.Context) string {
	if u, ok := ctx.Value(currentURLKey).(string); ok && u != "" {
		return u
	}
	return "/"
}

// WithFlash returns a copy of ctx carrying a one-time message for the page (already localised).
func WithFlash(ctx context.Context, msg string) context.Context {
	return context.WithValue(ctx, flashKey, msg)
}

// Flash returns the one-time message for the page, or "".
func Flash(ctx context.Context) string {
	s, _ := ctx.Value(flashKey).(string)
	return s
}
