package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// Account administration, for system administrators.

func userPath(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }

// pathID is the path's {id}; when it is not one it has answered already (404).
func (h *handler) pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "no such id"))
		return 0, false
	}
	return id, true
}

// pathRecord is the record named by the path's {id}, as find reads it for the reader (within
// their scope); when there is none, or it cannot be read, it has answered already (404 for none,
// the same for a record outside the scope). The path* helpers of each resource are made of it.
func pathRecord[T any](h *handler, w http.ResponseWriter, r *http.Request, find func(ctx context.Context, actor isms.Actor, id int64) (T, error)) (T, bool) {
	var none T
	id, ok := h.pathID(w, r)
	if !ok {
		return none, false
	}
	rec, err := find(r.Context(), isms.ActorFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return none, false
	}
	return rec, true
}

func formInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	return n
}

func (h *handler) userList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := isms.UserFilter{
		Query:  q.Get("q"),
		Status: isms.UserStatus(q.Get("status")),
		Role:   isms.Role(q.Get("role")),
		UnitID: formInt(r, "unit"),
	}
	if id := formInt(r, "after_id"); id > 0 {
		f.After = &isms.UserCursor{Kana: q.Get("after_kana"), ID: id}
	}
	users, total, next, err := h.db.FindUsers(ctx, isms.ActorFrom(ctx), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.UserListPage(web.UserList{Filter: f, Users: users, Total: total, Next: next, Units: units}))
}

func userInputFrom(r *http.Request) isms.UserInput {
	return isms.UserInput{
		LoginID:   r.PostFormValue("login_id"),
		Name:      r.PostFormValue("name"),
		NameKana:  r.PostFormValue("name_kana"),
		Email:     r.PostFormValue("email"),
		Lang:      r.PostFormValue("lang"),
		DateStyle: r.PostFormValue("date_style"),
		Role:      isms.Role(r.PostFormValue("role")),
		UnitID:    formInt(r, "unit_id"),
		Version:   int(formInt(r, "version")),
	}
}

// renderUserForm shows the account form; a failed save shows it again with what was typed and
// the errors beside the fields.
func (h *handler) renderUserForm(w http.ResponseWriter, r *http.Request, status int, form web.UserForm) {
	units, err := h.db.FindUnits(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.Units, form.Today = units, h.now()
	h.render(w, r, status, web.UserFormPage(form))
}

func (h *handler) userNew(w http.ResponseWriter, r *http.Request) {
	h.renderUserForm(w, r, http.StatusOK, web.UserForm{Input: isms.UserInput{Lang: "ja", DateStyle: "seireki", Role: isms.RoleStaff}})
}

// userCreate creates the account with a one-time password that the next page shows once.
func (h *handler) userCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	in := userInputFrom(r)
	password := auth.GeneratePassword()
	hash, err := auth.HashPassword(password, auth.DefaultParams)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u, err := h.db.CreateUser(ctx, isms.ActorFrom(ctx), in, hash)
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		h.renderUserForm(w, r, http.StatusUnprocessableEntity, web.UserForm{Input: in, Errors: errs})
	}) {
		return
	}
	h.sessions.Put(ctx, sessOneTime, password)
	h.done(w, r, "user.created", userPath(u.ID))
}

// pathUser is the account named by the path's {id}; when there is none it has answered already.
func (h *handler) pathUser(w http.ResponseWriter, r *http.Request) (isms.User, bool) {
	return pathRecord(h, w, r, h.db.FindUserByID)
}

func (h *handler) userShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, ok := h.pathUser(w, r)
	if !ok {
		return
	}
	// The person linked to the account, whose posting and roles make its scope.
	var person *isms.Person
	p, err := h.db.FindPersonByUser(ctx, isms.ActorFrom(ctx), u.ID, h.now())
	switch isms.ErrorCode(err) {
	case "":
		person = &p
	case isms.ENOTFOUND:
	default:
		h.fail(w, r, err)
		return
	}
	oneTime := h.sessions.PopString(ctx, sessOneTime)
	if oneTime != "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	h.render(w, r, http.StatusOK, web.UserPage(u, oneTime, person))
}

func (h *handler) userEdit(w http.ResponseWriter, r *http.Request) {
	u, ok := h.pathUser(w, r)
	if !ok {
		return
	}
	h.renderUserForm(w, r, http.StatusOK, web.UserForm{ID: u.ID, Input: isms.UserInput{
		LoginID: u.LoginID, Name: u.Name, NameKana: u.NameKana, Email: u.Email, Lang: u.Lang,
		DateStyle: u.DateStyle, Role: u.Role, UnitID: u.UnitID, Version: u.Version,
	}})
}

func (h *handler) userUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	in := userInputFrom(r)
	_, err := h.db.UpdateUser(ctx, isms.ActorFrom(ctx), id, in)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		h.renderUserForm(w, r, status, web.UserForm{ID: id, Input: in, Errors: errs, Conflict: conflict})
	}) {
		return
	}
	h.done(w, r, "user.updated", userPath(id))
}

// userAction applies one of the buttons of the account page: suspend, reactivate, retire, reset
// the password (a new one-time password shown once) or reset MFA.
func (h *handler) userAction(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	version := int(formInt(r, "version"))
	var flash string
	var err error
	switch action := r.PostFormValue("action"); action {
	case "suspend", "reactivate", "retire":
		status := map[string]isms.UserStatus{"suspend": isms.UserSuspended, "reactivate": isms.UserActive, "retire": isms.UserRetired}[action]
		_, err = h.db.SetUserStatus(ctx, actor, id, version, status)
		flash = "user.status_changed"
	case "reset_password":
		password := auth.GeneratePassword()
		var hash string
		if hash, err = auth.HashPassword(password, auth.DefaultParams); err == nil {
			if _, err = h.db.ResetPassword(ctx, actor, id, version, hash); err == nil {
				h.sessions.Put(ctx, sessOneTime, password)
			}
		}
		flash = "user.password_reset"
	case "reset_mfa":
		_, err = h.db.ResetMFA(ctx, actor, id, version)
		flash = "user.mfa_reset"
	default:
		err = isms.Errorf(isms.EINVALID, "unknown action")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, flash, userPath(id))
}
