package server

import (
	"errors"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// auditList shows the audit trail (監査証跡), newest first, filtered by the query: actor (login
// id), action, entity_type and entity_id, from and to (YYYY-MM-DD, days in Japan time), and
// before (the keyset of the next page). A query that cannot be understood shows the form again
// with what was typed and the errors beside the fields (422).
func (h *handler) auditList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	in := web.AuditQuery{
		Actor:      strings.TrimSpace(q.Get("actor")),
		EntityType: strings.TrimSpace(q.Get("entity_type")),
		EntityID:   strings.TrimSpace(q.Get("entity_id")),
		Action:     strings.TrimSpace(q.Get("action")),
		From:       strings.TrimSpace(q.Get("from")),
		To:         strings.TrimSpace(q.Get("to")),
	}
	fe := isms.FieldErrors{}
	f := isms.AuditFilter{
		Actor:      in.Actor,
		EntityType: in.EntityType,
		EntityID:   in.EntityID,
		Action:     in.Action,
		From:       parseDay(in.From, "from", fe),
		To:         parseDay(in.To, "to", fe),
		Before:     max(formInt(r, "before"), 0),
	}
	page := web.AuditList{Query: in, Filter: f, Errors: fe}
	if len(fe) == 0 {
		var err error
		page.Events, page.Next, err = h.db.FindAuditEvents(ctx, isms.ActorFrom(ctx), f)
		if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
			maps.Copy(fe, ve.Fields)
		} else if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if len(fe) > 0 {
		page.Events, page.Next = nil, 0
		h.render(w, r, http.StatusUnprocessableEntity, web.AuditListPage(page))
		return
	}
	h.render(w, r, http.StatusOK, web.AuditListPage(page))
}

// parseDay reads a date typed as YYYY-MM-DD (what a date input sends) as that day in Japan, and
// records a problem against field when it is not one. Empty means no date.
func parseDay(s, field string, fe isms.FieldErrors) time.Time {
	if s == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(time.DateOnly, s, japan)
	fe.Check(err == nil, field, "audit.error.date")
	return d
}
