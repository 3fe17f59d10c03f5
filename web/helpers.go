package web

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
)

// currentAttr is the aria-current value of a menu link: "page" for the page being shown.
func currentAttr(ctx context.Context, path string) string {
	if CurrentURL(ctx) == path {
		return "page"
	}
	return "false"
}

// pressed is the aria-pressed value of a toggle button.
func pressed(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// t looks a message up in the reader's language.
func t(ctx context.Context, key string, args ...any) string { return i18n.T(ctx, key, args...) }

// date shows a day in the reader's date style (西暦 or 和暦).
func date(ctx context.Context, tm time.Time) string { return i18n.FormatDateCtx(ctx, tm) }

// dateTime shows a moment in Japan time: the date in the reader's style and the time of day.
func dateTime(ctx context.Context, tm time.Time) string {
	tm = tm.In(japan)
	return i18n.FormatDateCtx(ctx, tm) + " " + tm.Format("15:04")
}

// japan is where the portal's users are; times are shown in Japan time whatever the server's zone.
var japan = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Tokyo"); err == nil {
		return loc
	}
	return time.FixedZone("JST", 9*60*60)
}()

// roleName is the display name of a portal role.
func roleName(ctx context.Context, r isms.Role) string { return t(ctx, "role."+string(r)) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// pngDataURI embeds a PNG made on the server (the enrolment QR code) in the page itself, so that
// the secret it carries never sits at a URL of its own.
//
// The image is one the portal drew itself, so the data URL is safe to mark as such; templ would
// otherwise refuse the data: scheme in src.
func pngDataURI(png []byte) templ.SafeURL {
	return templ.SafeURL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

func langOptions(ctx context.Context) []option {
	return []option{{"ja", t(ctx, "lang.ja")}, {"en", t(ctx, "lang.en")}}
}

func dateStyleOptions(ctx context.Context) []option {
	return []option{{"seireki", t(ctx, "date_style.seireki")}, {"wareki", t(ctx, "date_style.wareki")}}
}

func roleOptions(ctx context.Context) []option {
	opts := make([]option, 0, len(isms.Roles))
	for _, r := range isms.Roles {
		opts = append(opts, option{string(r), roleName(ctx, r)})
	}
	return opts
}

// unitOptions are the units that exist on day or later, after first (such as "none" or "all"):
// closed units take no new accounts, postings or roles. A zero day offers every unit.
func unitOptions(units []isms.Unit, day time.Time, first option) []option {
	opts := []option{first}
	for _, u := range units {
		if u.To == nil || !u.To.Before(day) {
			opts = append(opts, option{itoa(u.ID), u.Code + " " + u.Name})
		}
	}
	return opts
}

func yesNo(ctx context.Context, b bool) string {
	if b {
		return t(ctx, "common.yes")
	}
	return t(ctx, "common.no")
}

func containsRole(roles []isms.Role, r isms.Role) bool { return slices.Contains(roles, r) }

// describedBy is the id of what describes field name: its error when it has one, else its hint.
func describedBy(name, hint string, errs isms.FieldErrors) string {
	switch {
	case errs[name] != "":
		return name + "-error"
	case hint != "":
		return name + "-hint"
	}
	return ""
}
