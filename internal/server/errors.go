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
