package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// People (職員等): the register and its forms for those who keep the organisation, and each
// person's page, which anyone who sees the person's unit may read.

// postedDay reads a date field (2026-04-01) of the posted form: nil for an empty field, and an
// error against the field when it is not a date. raw is what was typed, to show again.
func postedDay(r *http.Request, name string, fe isms.FieldErrors) (day *time.Time, raw string) {
	raw = strings.TrimSpace(r.PostFormValue(name))
	day, ok := isms.ParseDay(raw)
	fe.Check(ok, name, "validation.date")
	return day, raw
}

// formDate is a day as a date field holds it, "" for none.
func formDate(d *time.Time) string {
	if d == nil {
		return ""
	}
	return d.Format(time.DateOnly)
}

// mergeErrors adds the field errors of more to fe, keeping the first problem of each field.
func mergeErrors(fe, more isms.FieldErrors) isms.FieldErrors {
	for field, key := range more {
		fe.Check(false, field, key)
	}
	return fe
}

func peoplePath(id int64) string { return "/people/" + strconv.FormatInt(id, 10) }

func (h *handler) personList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := isms.PersonFilter{
		Query:      q.Get("q"),
		UnitID:     formInt(r, "unit"),
		Employment: isms.EmploymentType(q.Get("employment")),
		Day:        isms.Day(h.now()),
	}
	if !f.Employment.Valid() {
		f.Employment = ""
	}
	if id := formInt(r, "after_id"); id > 0 {
		f.After = &isms.PersonCursor{Kana: q.Get("after_kana"), ID: id}
	}
	people, total, next, err := h.db.FindPeople(ctx, isms.ActorFrom(ctx), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.PersonListPage(web.PersonList{Filter: f, People: people, Total: total, Next: next, Units: units}))
}

// personFormFrom reads the person form; fe holds the dates that are not dates.
func personFormFrom(r *http.Request) (form web.PersonForm, fe isms.FieldErrors) {
	fe = isms.FieldErrors{}
	in := isms.PersonInput{
		EmployeeNo: r.PostFormValue("employee_no"),
		Name:       r.PostFormValue("name"),
		NameKana:   r.PostFormValue("name_kana"),
		Employment: isms.EmploymentType(r.PostFormValue("employment_type")),
		Email:      r.PostFormValue("email"),
		Phone:      r.PostFormValue("phone"),
		UnitID:     formInt(r, "unit_id"),
		Version:    int(formInt(r, "version")),
	}
	in.ValidFrom, form.From = postedDay(r, "valid_from", fe)
	in.ValidTo, form.To = postedDay(r, "valid_to", fe)
	form.Input = in
	return form, fe
}

// renderPersonForm shows the person form; a refused save shows it again with what was typed and
// the errors beside the fields.
func (h *handler) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, form web.PersonForm) {
	units, err := h.db.FindUnits(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.Units, form.Today = units, isms.Day(h.now())
	h.render(w, r, status, web.PersonFormPage(form))
}

func (h *handler) personNew(w http.ResponseWriter, r *http.Request) {
	today := isms.Day(h.now())
	h.renderPersonForm(w, r, http.StatusOK, web.PersonForm{
		Input: isms.PersonInput{Employment: isms.EmploymentRegular, UnitID: formInt(r, "unit")},
		From:  today.Format(time.DateOnly),
	})
}

// savePerson registers (id 0) or updates a person from the posted form and answers: back to the
// person's page, or the form again with the errors (422) or the conflict (409).
func (h *handler) savePerson(w http.ResponseWriter, r *http.Request, id int64) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	form, fe := personFormFrom(r)
	form.ID = id
	if len(fe) > 0 {
		in := form.Input
		in.Normalize()
		form.Errors = mergeErrors(fe, in.Validate(id == 0))
		h.renderPersonForm(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	var p isms.Person
	var err error
	if id == 0 {
		p, err = h.db.CreatePerson(ctx, actor, form.Input)
	} else {
		p, err = h.db.UpdatePerson(ctx, actor, id, form.Input)
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		form.Errors, form.Conflict = errs, conflict
		h.renderPersonForm(w, r, status, form)
	}) {
		return
	}
	flash := "person.updated"
	if id == 0 {
		flash = "person.created"
	}
	h.done(w, r, flash, peoplePath(p.ID))
}

func (h *handler) personCreate(w http.ResponseWriter, r *http.Request) { h.savePerson(w, r, 0) }

func (h *handler) personUpdate(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.savePerson(w, r, id)
	}
}

// pathPerson is the person named by the path's {id} as of today, within the reader's scope; when
// there is none it has answered already (404, the same for a person outside the scope).
func (h *handler) pathPerson(w http.ResponseWriter, r *http.Request) (isms.Person, bool) {
	return pathRecord(h, w, r, func(ctx context.Context, actor isms.Actor, id int64) (isms.Person, error) {
		return h.db.FindPerson(ctx, actor, id, h.now())
	})
}

func (h *handler) personShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, ok := h.pathPerson(w, r)
	if !ok {
		return
	}
	postings, err := h.db.FindPostings(ctx, p.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	assignments, err := h.db.FindAssignments(ctx, isms.AssignmentFilter{PersonID: p.ID})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.PersonPage(web.PersonView{
		Person: p, Postings: postings, Assignments: assignments, Today: isms.Day(h.now()),
	}))
}

func (h *handler) personEdit(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pathPerson(w, r)
	if !ok {
		return
	}
	h.renderPersonForm(w, r, http.StatusOK, web.PersonForm{
		ID: p.ID,
		Input: isms.PersonInput{EmployeeNo: p.EmployeeNo, Name: p.Name, NameKana: p.NameKana, Employment: p.Employment,
			Email: p.Email, Phone: p.Phone, Version: p.Version},
		From: formDate(&p.From),
		To:   formDate(p.To),
	})
}

func (h *handler) renderMoveForm(w http.ResponseWriter, r *http.Request, status int, form web.PersonMoveForm) {
	units, err := h.db.FindUnits(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.Units, form.Today = units, isms.Day(h.now())
	h.render(w, r, status, web.PersonMovePage(form))
}

func (h *handler) personMoveShow(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pathPerson(w, r)
	if !ok {
		return
	}
	h.renderMoveForm(w, r, http.StatusOK, web.PersonMoveForm{Person: p, Day: isms.Day(h.now()).Format(time.DateOnly)})
}

// personMove posts the person to another unit from a day; the posting before ends the day before
// and stays in the history.
func (h *handler) personMove(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	p, ok := h.pathPerson(w, r)
	if !ok {
		return
	}
	fe := isms.FieldErrors{}
	form := web.PersonMoveForm{Person: p, UnitID: formInt(r, "unit_id")}
	var day *time.Time
	day, form.Day = postedDay(r, "valid_from", fe)
	fe.Check(form.UnitID != 0, "unit_id", "validation.choose")
	fe.Check(day != nil, "valid_from", "validation.required")
	var err error
	if len(fe) == 0 {
		err = h.db.MovePerson(ctx, isms.ActorFrom(ctx), p.ID, form.UnitID, *day)
		if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
			fe = ve.Fields
		}
	}
	if len(fe) > 0 {
		form.Errors = fe
		h.renderMoveForm(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, "person.moved", peoplePath(p.ID))
}

func (h *handler) personAccountShow(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pathPerson(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, web.PersonAccountPage(web.PersonAccountForm{Person: p, LoginID: p.LoginID, Version: p.Version}))
}

// personAccount links the person to the account with the posted login id, or unlinks it. The
// account's scope follows the person from its next request.
func (h *handler) personAccount(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	p, ok := h.pathPerson(w, r)
	if !ok {
		return
	}
	unlink := r.PostFormValue("unlink") != ""
	form := web.PersonAccountForm{Person: p, LoginID: strings.TrimSpace(r.PostFormValue("login_id")), Version: int(formInt(r, "version"))}
	fe := isms.FieldErrors{}
	var userID int64
	if !unlink {
		fe.Check(form.LoginID != "", "login_id", "validation.required")
		if len(fe) == 0 {
			var err error
			userID, err = h.db.FindUserIDByLogin(ctx, actor, form.LoginID)
			if isms.ErrorCode(err) == isms.ENOTFOUND {
				fe.Check(false, "login_id", "person.error.no_account")
			} else if err != nil {
				h.fail(w, r, err)
				return
			}
		}
	}
	var err error
	if len(fe) == 0 {
		err = h.db.LinkPersonUser(ctx, actor, p.ID, userID, form.Version)
		if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
			// The store names the account's id; the form asks for its login id.
			for field, key := range ve.Fields {
				if field == "user_id" {
					field = "login_id"
				}
				fe.Check(false, field, key)
			}
		}
	}
	if len(fe) > 0 {
		form.Errors = fe
		h.render(w, r, http.StatusUnprocessableEntity, web.PersonAccountPage(form))
		return
	}
	if isms.ErrorCode(err) == isms.ECONFLICT {
		form.Conflict = true
		h.render(w, r, http.StatusConflict, web.PersonAccountPage(form))
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	flash := "person.account.linked"
	if unlink {
		flash = "person.account.unlinked"
	}
	h.done(w, r, flash, peoplePath(p.ID))
}
