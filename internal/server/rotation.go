package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// Personnel rotations (人事異動), for those who keep the organisation: the list, a new rotation,
// and the rotation sheet, where lines are added and deleted and the whole sheet is applied at once.

func (h *handler) rotationList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	list, err := h.db.FindRotations(ctx, isms.ActorFrom(ctx))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.RotationListPage(list))
}

// nextApril is the 1 April after today in Japan, the date of the year's main rotation.
func nextApril(now time.Time) time.Time {
	now = now.In(japan)
	d := time.Date(now.Year(), time.April, 1, 0, 0, 0, 0, time.UTC)
	if now.Month() >= time.April {
		d = d.AddDate(1, 0, 0)
	}
	return d
}

func (h *handler) rotationNew(w http.ResponseWriter, r *http.Request) {
	d := nextApril(h.now())
	h.render(w, r, http.StatusOK, web.RotationNewPage(web.RotationForm{
		Input: isms.RotationInput{EffectiveDate: &d}, Date: d.Format(time.DateOnly)}))
}

// rotationFormFrom reads the heading form. A date that is not one is an error of its own, beside
// the field, alongside whatever else the heading breaks.
func rotationFormFrom(r *http.Request) web.RotationForm {
	f := web.RotationForm{Date: strings.TrimSpace(r.PostFormValue("effective_date"))}
	f.Input.Title = r.PostFormValue("title")
	f.Input.Version = int(formInt(r, "version"))
	d, ok := isms.ParseDay(f.Date)
	f.Input.EffectiveDate = d
	if !ok {
		f.Errors = f.Input.Validate()
		f.Errors["effective_date"] = "rotation.error.date"
	}
	return f
}

func (h *handler) rotationCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := rotationFormFrom(r)
	if len(f.Errors) > 0 {
		h.render(w, r, http.StatusUnprocessableEntity, web.RotationNewPage(f))
		return
	}
	rot, err := h.db.CreateRotation(ctx, isms.ActorFrom(ctx), f.Input)
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.render(w, r, http.StatusUnprocessableEntity, web.RotationNewPage(f))
	}) {
		return
	}
	h.done(w, r, "rotation.created", rotationPath(rot.ID, ""))
}

func rotationPath(id int64, fragment string) string {
	p := "/rotations/" + strconv.FormatInt(id, 10)
	if fragment != "" {
		p += "#" + fragment
	}
	return p
}

func (h *handler) rotationShow(w http.ResponseWriter, r *http.Request) {
	h.renderRotationSheet(w, r, http.StatusOK, web.RotationSheet{})
}

// renderRotationSheet shows the rotation named by the path, as it is now, with what s carries of
// a refused form. A draft's line forms offer the people in service on the date, the units open on
// it, the roles, and the assignments held the day before that are still open.
func (h *handler) renderRotationSheet(w http.ResponseWriter, r *http.Request, status int, s web.RotationSheet) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	var ok bool
	if s.Rotation, ok = pathRecord(h, w, r, h.db.FindRotation); !ok {
		return
	}
	rot := s.Rotation
	if s.Heading.Date == "" && s.Heading.Input.Title == "" {
		s.Heading = web.RotationForm{Date: rot.EffectiveDate.Format(time.DateOnly),
			Input: isms.RotationInput{Title: rot.Title, EffectiveDate: &rot.EffectiveDate, Version: rot.Version}}
	}
	if rot.Status == isms.RotationDraft {
		day, dayBefore := rot.EffectiveDate, rot.EffectiveDate.AddDate(0, 0, -1)
		var err error
		if s.People, err = h.db.FindRotationPeople(ctx, actor, day); err != nil {
			h.fail(w, r, err)
			return
		}
		units, err := h.db.FindUnits(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, u := range units {
			if u.Contains(day) {
				s.Units = append(s.Units, u)
			}
		}
		if s.Roles, err = h.db.FindSecurityRoles(ctx); err != nil {
			h.fail(w, r, err)
			return
		}
		held, err := h.db.FindAssignments(ctx, isms.AssignmentFilter{Day: dayBefore})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, a := range held {
			if a.To == nil || !a.To.Before(day) {
				s.Assignments = append(s.Assignments, a)
			}
		}
	}
	h.render(w, r, status, web.RotationSheetPage(s))
}

// rotationUpdate saves the heading; a stale form shows the sheet again with the conflict and what
// was typed.
func (h *handler) rotationUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	f := rotationFormFrom(r)
	if len(f.Errors) > 0 {
		h.renderRotationSheet(w, r, http.StatusUnprocessableEntity, web.RotationSheet{Heading: f})
		return
	}
	_, err := h.db.UpdateRotation(ctx, isms.ActorFrom(ctx), id, f.Input)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors = errs
		h.renderRotationSheet(w, r, status, web.RotationSheet{Heading: f, Conflict: conflict})
	}) {
		return
	}
	h.done(w, r, "rotation.updated", rotationPath(id, ""))
}

// rotationRefused answers a change to the sheet that err says failed, and reports whether it did
// (false when err is nil): the sheet as it is now with a conflict message for a stale form or a
// rotation applied meanwhile (409), the error page for anything else. It stands in for refused
// behind the sheet's buttons (delete, delete a line, apply), which have no fields to show errors
// beside.
func (h *handler) rotationRefused(w http.ResponseWriter, r *http.Request, err error) bool {
	if isms.ErrorCode(err) == isms.ECONFLICT {
		h.renderRotationSheet(w, r, http.StatusConflict, web.RotationSheet{Conflict: true})
		return true
	}
	if err != nil {
		h.fail(w, r, err)
		return true
	}
	return false
}

func (h *handler) rotationDelete(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	err := h.db.DeleteRotation(ctx, isms.ActorFrom(ctx), id, int(formInt(r, "version")))
	if h.rotationRefused(w, r, err) {
		return
	}
	h.done(w, r, "rotation.deleted", "/rotations")
}

// rotationLineCreate adds the line of one of the sheet's three forms (move, end_role,
// start_role); a refused line shows the sheet again with the errors beside that form's fields.
func (h *handler) rotationLineCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	in := isms.RotationLine{
		Kind:         isms.RotationLineKind(r.PostFormValue("kind")),
		PersonID:     formInt(r, "person_id"),
		UnitID:       formInt(r, "unit_id"),
		RoleCode:     isms.SecurityRoleCode(r.PostFormValue("role_code")),
		AssignmentID: formInt(r, "assignment_id"),
		Acting:       r.PostFormValue("acting") == "true",
		Note:         r.PostFormValue("note"),
	}
	_, err := h.db.AddRotationLine(ctx, isms.ActorFrom(ctx), id, in)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		s := web.RotationSheet{Conflict: conflict}
		if !conflict {
			s.LineKind, s.Line, s.LineErrors = in.Kind, in, errs
		}
		h.renderRotationSheet(w, r, status, s)
	}) {
		return
	}
	fragment := "handovers"
	if in.Kind == isms.LineMove {
		fragment = "moves"
	}
	h.done(w, r, "rotation.line_added", rotationPath(id, fragment))
}

func (h *handler) rotationLineDelete(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	lineID, err := strconv.ParseInt(r.PathValue("line"), 10, 64)
	if err != nil || lineID <= 0 {
		h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "no such line"))
		return
	}
	err = h.db.DeleteRotationLine(ctx, isms.ActorFrom(ctx), id, lineID)
	if h.rotationRefused(w, r, err) {
		return
	}
	h.done(w, r, "rotation.line_deleted", rotationPath(id, ""))
}

// rotationApply applies the whole sheet once the confirmation box is ticked. Lines that no longer
// fit the organisation are listed with their numbers (422) and nothing changes.
func (h *handler) rotationApply(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		h.renderRotationSheet(w, r, http.StatusUnprocessableEntity, web.RotationSheet{ConfirmError: true})
		return
	}
	_, err := h.db.ApplyRotation(ctx, isms.ActorFrom(ctx), id, int(formInt(r, "version")))
	if re, ok := errors.AsType[*isms.RotationError](err); ok {
		h.renderRotationSheet(w, r, http.StatusUnprocessableEntity, web.RotationSheet{ApplyErrors: re.Lines})
		return
	}
	if h.rotationRefused(w, r, err) {
		return
	}
	h.done(w, r, "rotation.applied", rotationPath(id, ""))
}
