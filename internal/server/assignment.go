package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The guideline's security roles (their names are the town's to edit) and the assignments of
// people to them. Every signed-in person reads the roles; those who keep the organisation assign
// them, correct assignments and end them. Assignments are never deleted, so that who was
// responsible when stays on record.

func (h *handler) roleList(w http.ResponseWriter, r *http.Request) {
	roles, err := h.db.FindSecurityRoles(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.RoleListPage(roles))
}

// pathRole is the role named by the path's {code}; when there is none it has answered already.
func (h *handler) pathRole(w http.ResponseWriter, r *http.Request) (isms.SecurityRole, bool) {
	roles, err := h.db.FindSecurityRoles(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return isms.SecurityRole{}, false
	}
	code := isms.SecurityRoleCode(r.PathValue("code"))
	if i := slices.IndexFunc(roles, func(x isms.SecurityRole) bool { return x.Code == code }); i >= 0 {
		return roles[i], true
	}
	h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "no security role %q", code))
	return isms.SecurityRole{}, false
}

func (h *handler) roleEdit(w http.ResponseWriter, r *http.Request) {
	role, ok := h.pathRole(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, web.RoleFormPage(web.RoleForm{
		Role: role, Input: isms.SecurityRoleNames{NameJa: role.NameJa, NameEn: role.NameEn, Version: role.Version},
	}))
}

// roleUpdate renames a role in the town's wording; its code and rules stay.
func (h *handler) roleUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	role, ok := h.pathRole(w, r)
	if !ok {
		return
	}
	form := web.RoleForm{Role: role, Input: isms.SecurityRoleNames{
		NameJa: r.PostFormValue("name_ja"), NameEn: r.PostFormValue("name_en"), Version: int(formInt(r, "version")),
	}}
	_, err := h.db.UpdateSecurityRole(ctx, isms.ActorFrom(ctx), role.Code, form.Input)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		form.Errors, form.Conflict = errs, conflict
		h.render(w, r, status, web.RoleFormPage(form))
	}) {
		return
	}
	h.done(w, r, "security_role.updated", "/org/roles")
}

// assignablePages is how many pages of people the assignment form offers before it asks for a
// search: a town's whole staff fits.
const assignablePages = 3

// assignablePeople are the people in service today that match query, for the assignment form's
// choice, with whether more match; the person already chosen is always among them.
func (h *handler) assignablePeople(ctx context.Context, actor isms.Actor, query string, chosen int64) ([]isms.Person, bool, error) {
	f := isms.PersonFilter{Query: query, Day: isms.Day(h.now()), Limit: 200}
	var people []isms.Person
	var next *isms.PersonCursor
	for range assignablePages {
		page, _, n, err := h.db.FindPeople(ctx, actor, f)
		if err != nil {
			return nil, false, err
		}
		people, next = append(people, page...), n
		if next == nil {
			break
		}
		f.After = next
	}
	if chosen != 0 && !slices.ContainsFunc(people, func(p isms.Person) bool { return p.ID == chosen }) {
		// Someone not yet (or no longer) in service today, or outside the search.
		p, err := h.db.FindPerson(ctx, actor, chosen, f.Day)
		switch isms.ErrorCode(err) {
		case "":
			people = append([]isms.Person{p}, people...)
		case isms.ENOTFOUND:
		default:
			return nil, false, err
		}
	}
	return people, next != nil, nil
}

// renderAssignmentForm shows the assignment form with its choices; a refused save shows it again
// with what was typed and the errors beside the fields.
func (h *handler) renderAssignmentForm(w http.ResponseWriter, r *http.Request, status int, form web.AssignmentForm) {
	ctx := r.Context()
	form.Today = isms.Day(h.now())
	if form.ID == 0 {
		var err error
		if form.People, form.MorePeople, err = h.assignablePeople(ctx, isms.ActorFrom(ctx), form.PersonQuery, form.Input.PersonID); err != nil {
			h.fail(w, r, err)
			return
		}
		if form.Roles, err = h.db.FindSecurityRoles(ctx); err != nil {
			h.fail(w, r, err)
			return
		}
		if form.Units, err = h.db.FindUnits(ctx); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, web.AssignmentFormPage(form))
}

// assignmentNew is the form to assign a role; ?person=, ?role= and ?unit= choose in advance, and
// ?q= narrows the choice of people.
func (h *handler) assignmentNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	h.renderAssignmentForm(w, r, http.StatusOK, web.AssignmentForm{
		Input: isms.AssignmentInput{
			PersonID: formInt(r, "person"),
			RoleCode: isms.SecurityRoleCode(q.Get("role")),
			UnitID:   formInt(r, "unit"),
		},
		PersonQuery: q.Get("q"),
		From:        isms.Day(h.now()).Format(time.DateOnly),
	})
}

// assignmentFormFrom reads the fields that creating and correcting share; fe holds the dates that
// are not dates.
func assignmentFormFrom(r *http.Request, form *web.AssignmentForm) (fe isms.FieldErrors) {
	fe = isms.FieldErrors{}
	form.Input.ValidFrom, form.From = postedDay(r, "valid_from", fe)
	form.Input.ValidTo, form.To = postedDay(r, "valid_to", fe)
	form.Input.Acting = r.PostFormValue("acting") != ""
	form.Input.Note = r.PostFormValue("note")
	form.Input.Version = int(formInt(r, "version"))
	return fe
}

func (h *handler) assignmentCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	form := web.AssignmentForm{Input: isms.AssignmentInput{
		PersonID: formInt(r, "person_id"),
		RoleCode: isms.SecurityRoleCode(r.PostFormValue("role_code")),
		UnitID:   formInt(r, "unit_id"),
	}}
	if fe := assignmentFormFrom(r, &form); len(fe) > 0 {
		roles, err := h.db.FindSecurityRoles(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		i := slices.IndexFunc(roles, func(x isms.SecurityRole) bool { return x.Code == form.Input.RoleCode })
		var role isms.SecurityRole
		if i >= 0 {
			role = roles[i]
		}
		form.Errors = mergeErrors(fe, form.Input.Validate(role, i >= 0))
		h.renderAssignmentForm(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	a, err := h.db.CreateAssignment(ctx, isms.ActorFrom(ctx), form.Input)
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		form.Errors = errs
		h.renderAssignmentForm(w, r, http.StatusUnprocessableEntity, form)
	}) {
		return
	}
	h.done(w, r, "assignment.created", peoplePath(a.PersonID))
}

// pathAssignment is the assignment named by the path's {id}; when there is none it has answered
// already.
func (h *handler) pathAssignment(w http.ResponseWriter, r *http.Request) (isms.Assignment, bool) {
	return pathRecord(h, w, r, h.db.FindAssignment)
}

// assignmentEditForm is the correction form of an assignment as it stands.
func (h *handler) assignmentEditForm(a isms.Assignment) web.AssignmentForm {
	return web.AssignmentForm{
		ID:         a.ID,
		Assignment: a,
		Input: isms.AssignmentInput{PersonID: a.PersonID, RoleCode: a.RoleCode, UnitID: a.UnitID,
			Acting: a.Acting, Note: a.Note, Version: a.Version},
		From:    formDate(&a.From),
		To:      formDate(a.To),
		LastDay: isms.Day(h.now()).Format(time.DateOnly),
	}
}

func (h *handler) assignmentEdit(w http.ResponseWriter, r *http.Request) {
	a, ok := h.pathAssignment(w, r)
	if !ok {
		return
	}
	h.renderAssignmentForm(w, r, http.StatusOK, h.assignmentEditForm(a))
}

// assignmentUpdate corrects an assignment's period, acting flag and note.
func (h *handler) assignmentUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	a, ok := h.pathAssignment(w, r)
	if !ok {
		return
	}
	form := h.assignmentEditForm(a)
	if fe := assignmentFormFrom(r, &form); len(fe) > 0 {
		form.Errors = mergeErrors(fe, form.Input.Validate(a.Role, true))
		h.renderAssignmentForm(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	_, err := h.db.UpdateAssignment(ctx, isms.ActorFrom(ctx), a.ID, form.Input)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		form.Errors, form.Conflict = errs, conflict
		h.renderAssignmentForm(w, r, status, form)
	}) {
		return
	}
	h.done(w, r, "assignment.updated", peoplePath(a.PersonID))
}

// assignmentEnd ends an assignment on its last day; it stays in the person's history.
func (h *handler) assignmentEnd(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	a, ok := h.pathAssignment(w, r)
	if !ok {
		return
	}
	form := h.assignmentEditForm(a)
	form.Input.Version = int(formInt(r, "version"))
	fe := isms.FieldErrors{}
	var lastDay *time.Time
	lastDay, form.LastDay = postedDay(r, "last_day", fe)
	fe.Check(lastDay != nil, "last_day", "validation.required")
	var err error
	if len(fe) == 0 {
		err = h.db.EndAssignment(ctx, isms.ActorFrom(ctx), a.ID, *lastDay, form.Input.Version)
		if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
			// The store names the period's end; the form asks for the last day.
			for field, key := range ve.Fields {
				if field == "valid_to" {
					field = "last_day"
				}
				fe.Check(false, field, key)
			}
		}
	}
	if len(fe) > 0 {
		form.Errors = fe
		h.renderAssignmentForm(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	if isms.ErrorCode(err) == isms.ECONFLICT {
		form.Conflict = true
		h.renderAssignmentForm(w, r, http.StatusConflict, form)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, "assignment.ended", peoplePath(a.PersonID))
}
