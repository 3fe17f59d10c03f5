package server

import (
	"errors"
	"net/http"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// fail is the one place that turns an error into a response: the status from its isms code and a
// localised error page. Only internal errors are logged, with the request id the page shows.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	status, key := http.StatusInternalServerError, "error.server"
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		err = isms.Errorf(isms.ETOOLARGE, "request body too large")
	}
	switch isms.ErrorCode(err) {
	case isms.EINVALID:
		status, key = http.StatusBadRequest, "error.bad_request"
	case isms.ENOTFOUND:
		status, key = http.StatusNotFound, "error.not_found"
	case isms.EFORBIDDEN:
		status, key = http.StatusForbidden, "error.forbidden"
	case isms.ECONFLICT:
		status, key = http.StatusConflict, "error.conflict"
	case isms.ETOOLARGE:
		status, key = http.StatusRequestEntityTooLarge, "error.too_large"
	case isms.EUNAVAILABLE:
		status, key = http.StatusServiceUnavailable, "error.unavailable"
	default:
		h.log.Error("internal error", "id", isms.RequestFrom(ctx).ID, "method", r.Method, "path", r.URL.Path, "err", err)
	}
	body := i18n.T(ctx, key+".body")
	if status == http.StatusInternalServerError {
		body = i18n.T(ctx, key+".body", isms.RequestFrom(ctx).ID)
	}
	h.render(w, r, status, web.ErrorPage(i18n.T(ctx, key+".title"), body))
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "no such page"))
}

func (h *handler) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h.render(w, r, http.StatusMethodNotAllowed, web.ErrorPage(i18n.T(ctx, "error.method.title"), i18n.T(ctx, "error.method.body")))
}

// parseForm reads the posted form, answering with the error page (413 when the body is over the
// limit) and false when it cannot.
func (h *handler) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); !ok {
			err = isms.Errorf(isms.EINVALID, "malformed form")
		}
		h.fail(w, r, err)
		return false
	}
	return true
}

// sessionError handles a failure to load or save a session. The usual cause is a database that
// has gone away, which the reader should see as "temporarily unavailable", not as a defect.
func (h *handler) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	if pingErr := h.db.Ping(r.Context()); pingErr != nil {
		err = pingErr
	}
	h.fail(w, r, err)
}

// Every form handler ends one of four ways: the store refused the input (the form again, 422,
// each message beside its field), the form was stale (the form again, 409, saying so), something
// else went wrong (the error page), or it saved (a flash and 303 to the next page, so that a
// reload does not post twice). refused, invalid and done say this once, so that the statuses and
// the order of the checks cannot drift apart from one form to the next. A form with a flow of its
// own (errors merged from its own checks, a field renamed) keeps it in its handler.

// refused answers a save that err says failed and reports whether it did (false when err is nil):
// show renders the form again with 422 and the fields of a *isms.ValidationError, or with 409 and
// conflict for ECONFLICT; any other error is the error page.
func (h *handler) refused(w http.ResponseWriter, r *http.Request, err error, show func(status int, errs isms.FieldErrors, conflict bool)) bool {
	if isms.ErrorCode(err) == isms.ECONFLICT {
		show(http.StatusConflict, nil, true)
		return true
	}
	return h.invalid(w, r, err, func(errs isms.FieldErrors) { show(http.StatusUnprocessableEntity, errs, false) })
}

// invalid is refused for a form that shows no conflict (one that creates a record): show renders
// it again, with 422, for a *isms.ValidationError; any other error, a conflict too, is the error
// page.
func (h *handler) invalid(w http.ResponseWriter, r *http.Request, err error, show func(errs isms.FieldErrors)) bool {
	if err == nil {
		return false
	}
	if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
		show(ve.Fields)
		return true
	}
	h.fail(w, r, err)
	return true
}

// done ends a form that saved: the flash message for the next page, and 303 to it.
func (h *handler) done(w http.ResponseWriter, r *http.Request, flashKey, to string) {
	h.flash(r.Context(), flashKey)
	http.Redirect(w, r, to, http.StatusSeeOther)
}
