package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// Approvals of the handling of information assets (運搬・外部提供・廃棄, V-A2 and V-A3): the 管理者's
// inbox, each request's page, the request form reached from an asset's page, the decision,
// withdrawal and completion, and the direct disposal record of an asset below 2以上.
//
// Who may do what is the store's to decide, in SQL and against the actor: a request outside the
// reader's scope is 404 (as a missing one), a decision by someone who does not manage the unit is
// 403. A 管理者 deciding their own request (兼務の禁止) gets the form again with the reason beside
// the note (422) rather than a bare 403, so that they read why and who decides instead.

func requestPath(id int64) string { return "/requests/" + strconv.FormatInt(id, 10) }

func assetRequestsPath(assetID int64) string {
	return "/assets/" + strconv.FormatInt(assetID, 10) + "#requests"
}

// countPending puts the number of requests awaiting the reader's decision into the context of
// the pages a 管理者 reads, for the menu. A failed count only leaves the number out.
func (h *handler) countPending(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := isms.ActorFrom(ctx)
		if len(actor.ManagedUnitIDs) > 0 {
			if n, err := h.db.CountPendingRequests(ctx, actor); err == nil {
				r = r.WithContext(web.WithPendingRequests(ctx, n))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// assetRequestsSection is the requests part of an asset's page.
func (h *handler) assetRequestsSection(ctx context.Context, a isms.Asset, levels map[string]isms.Level) (templ.Component, error) {
	reqs, err := h.db.FindAssetRequests(ctx, isms.ActorFrom(ctx), a.ID)
	if err != nil {
		return nil, err
	}
	return web.AssetRequestsSection(a, levels[a.C], reqs), nil
}

// renderInbox shows the 管理者's inbox; a refused decision shows again beside its request.
func (h *handler) renderInbox(w http.ResponseWriter, r *http.Request, status int, b web.RequestInbox) {
	ctx := r.Context()
	var err error
	if b.Requests, err = h.db.FindPendingRequests(ctx, isms.ActorFrom(ctx)); err != nil {
		h.fail(w, r, err)
		return
	}
	if b.Levels, err = h.db.FindLevels(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.RequestInboxPage(b))
}

func (h *handler) requestInbox(w http.ResponseWriter, r *http.Request) {
	h.renderInbox(w, r, http.StatusOK, web.RequestInbox{})
}

// renderRequest shows a request's page with the forms as typed.
func (h *handler) renderRequest(w http.ResponseWriter, r *http.Request, status int, id int64, v web.RequestView) {
	ctx := r.Context()
	var err error
	if v.Request, err = h.db.FindAssetRequest(ctx, isms.ActorFrom(ctx), id); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Levels, err = h.db.FindLevels(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.RequestPage(v))
}

func (h *handler) requestShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderRequest(w, r, http.StatusOK, id, web.RequestView{})
	}
}

func (h *handler) requestApprove(w http.ResponseWriter, r *http.Request) { h.requestDecide(w, r, true) }

func (h *handler) requestRefuse(w http.ResponseWriter, r *http.Request) { h.requestDecide(w, r, false) }

// requestDecide approves or refuses a request, from the inbox (back=inbox) or the request's page,
// and returns there.
func (h *handler) requestDecide(w http.ResponseWriter, r *http.Request, approve bool) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	inbox := r.PostFormValue("back") == "inbox"
	d := isms.RequestDecision{Approve: approve, Note: r.PostFormValue("note"), Version: int(formInt(r, "version"))}
	_, err := h.db.DecideAssetRequest(ctx, isms.ActorFrom(ctx), id, d)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		form := web.DecisionForm{Note: d.Note, Errors: errs, FromInbox: inbox}
		switch {
		case conflict:
			h.renderRequest(w, r, status, id, web.RequestView{Conflict: true})
		case inbox:
			h.renderInbox(w, r, status, web.RequestInbox{ErrorID: id, Decision: form})
		default:
			h.renderRequest(w, r, status, id, web.RequestView{Decision: form})
		}
	}) {
		return
	}
	flash, back := "request.refused", requestPath(id)
	if approve {
		flash = "request.approved"
	}
	if inbox {
		back = "/requests"
	}
	h.done(w, r, flash, back)
}

func (h *handler) requestWithdraw(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	_, err := h.db.WithdrawAssetRequest(ctx, isms.ActorFrom(ctx), id, int(formInt(r, "version")))
	if isms.ErrorCode(err) == isms.ECONFLICT {
		h.renderRequest(w, r, http.StatusConflict, id, web.RequestView{Conflict: true})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, "request.withdrawn", requestPath(id))
}

// postedMoment reads a date and time field (2026-11-20T14:30, as a datetime-local input sends
// it) in Japan time: nil for an empty field, an error against the field when it is not one.
func postedMoment(r *http.Request, name string, fe isms.FieldErrors) (*time.Time, string) {
	raw := strings.TrimSpace(r.PostFormValue(name))
	if raw == "" {
		return nil, raw
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, raw, japan); err == nil {
			return &t, raw
		}
	}
	fe.Check(false, name, "request.error.datetime")
	return nil, raw
}

// completionFrom reads the completion form: the day done, or the disposal record. fe holds the
// dates that are not dates.
func (h *handler) completionFrom(r *http.Request) (isms.RequestCompletion, web.CompletionForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	c := isms.RequestCompletion{Version: int(formInt(r, "version")), Today: h.now()}
	var f web.CompletionForm
	c.DoneOn, f.DoneOn = postedDay(r, "done_on", fe)
	c.Disposal.At, f.DisposedAt = postedMoment(r, "disposed_at", fe)
	f.DisposedBy = r.PostFormValue("disposed_by")
	f.Method = r.PostFormValue("disposal_method")
	f.Evidence = r.PostFormValue("evidence")
	c.Disposal.By, c.Disposal.Method, c.Disposal.Evidence = f.DisposedBy, isms.DisposalMethod(f.Method), f.Evidence
	return c, f, fe
}

func (h *handler) requestComplete(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	c, form, fe := h.completionFrom(r)
	var done isms.AssetRequest
	var err error
	if len(fe) == 0 {
		done, err = h.db.CompleteAssetRequest(ctx, actor, id, c)
	} else {
		// A date that is not one: show it with the record's other problems.
		var req isms.AssetRequest
		if req, err = h.db.FindAssetRequest(ctx, actor, id); err == nil {
			c.Normalize()
			err = mergeErrors(fe, c.Validate(req.Kind)).Err()
		}
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		v := web.RequestView{Conflict: conflict}
		if !conflict {
			form.Errors = errs
			v.Completion = form
		}
		h.renderRequest(w, r, status, id, v)
	}) {
		return
	}
	flash := "request.completed"
	if done.Kind == isms.RequestDispose {
		flash = "request.disposed"
	}
	h.done(w, r, flash, assetRequestsPath(done.AssetID))
}

// renderRequestForm shows the request form (or, below 2以上, the disposal record) for an asset.
func (h *handler) renderRequestForm(w http.ResponseWriter, r *http.Request, status int, a isms.Asset, f web.RequestForm) {
	levels, err := h.db.FindLevels(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Asset, f.Level = a, levels[a.C]
	f.Direct = f.Kind == isms.RequestDispose && !isms.NeedsApproval(f.Level.Rank)
	if f.Errors == nil {
		f.Errors = isms.FieldErrors{}
	}
	if a.Status == isms.AssetDisposed {
		f.Errors.Check(false, "kind", "request.error.disposed")
	} else if !f.Direct && !isms.NeedsApproval(f.Level.Rank) {
		f.Errors.Check(false, "kind", "request.error.no_approval_needed")
	}
	h.render(w, r, status, web.RequestFormPage(f))
}

// requestAsset is the asset of the path's {id} for one who may ask about it; when there is none
// it has answered already (404 outside the scope, 403 for those who only read it).
func (h *handler) requestAsset(w http.ResponseWriter, r *http.Request) (isms.Asset, bool) {
	a, ok := h.pathAsset(w, r)
	if !ok {
		return a, false
	}
	if !isms.ActorFrom(r.Context()).Edits(a.UnitID) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "only those who keep the asset ask"))
		return a, false
	}
	return a, true
}

func (h *handler) requestNew(w http.ResponseWriter, r *http.Request) {
	a, ok := h.requestAsset(w, r)
	if !ok {
		return
	}
	kind := isms.RequestKind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		h.fail(w, r, isms.Errorf(isms.EINVALID, "unknown request kind"))
		return
	}
	h.renderRequestForm(w, r, http.StatusOK, a, web.RequestForm{Kind: kind})
}

// requestFormFrom reads the request form; fe holds the dates that are not dates.
func requestFormFrom(r *http.Request) (isms.AssetRequestInput, web.RequestForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	in := isms.AssetRequestInput{
		Kind:   isms.RequestKind(r.PostFormValue("kind")),
		Detail: r.PostFormValue("detail"),
		Method: r.PostFormValue("method"),
	}
	f := web.RequestForm{Kind: in.Kind}
	in.PlannedOn, f.PlannedOn = postedDay(r, "planned_on", fe)
	f.Input = in
	return in, f, fe
}

func (h *handler) requestCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	a, ok := h.requestAsset(w, r)
	if !ok {
		return
	}
	in, f, fe := requestFormFrom(r)
	if !in.Kind.Valid() {
		h.fail(w, r, isms.Errorf(isms.EINVALID, "unknown request kind"))
		return
	}
	var created isms.AssetRequest
	var err error
	if len(fe) == 0 {
		created, err = h.db.CreateAssetRequest(ctx, isms.ActorFrom(ctx), a.ID, in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.renderRequestForm(w, r, http.StatusUnprocessableEntity, a, f)
	}) {
		return
	}
	h.done(w, r, "request.created", requestPath(created.ID))
}

// requestDisposal records the disposal of an asset below 2以上, which needs no approval.
func (h *handler) requestDisposal(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	a, ok := h.requestAsset(w, r)
	if !ok {
		return
	}
	in, f, fe := requestFormFrom(r)
	in.Kind, f.Kind = isms.RequestDispose, isms.RequestDispose
	c, cf, cfe := h.completionFrom(r)
	f.Completion = cf
	fe = mergeErrors(fe, cfe)
	var err error
	if len(fe) == 0 {
		_, err = h.db.RecordDisposal(ctx, isms.ActorFrom(ctx), a.ID, in, c)
	} else {
		in.Normalize()
		c.Normalize()
		err = mergeErrors(mergeErrors(fe, in.Validate()), c.Validate(isms.RequestDispose)).Err()
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors, f.Completion.Errors = errs, errs
		h.renderRequestForm(w, r, http.StatusUnprocessableEntity, a, f)
	}) {
		return
	}
	h.done(w, r, "request.disposed", assetRequestsPath(a.ID))
}
