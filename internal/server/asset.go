package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/web"
)

// The information asset register (情報資産管理台帳): the list, each asset's page, the form that
// registers and edits an asset, its printable classification label, and the CISO's 例外措置.
// The store scopes every read to the reader's units; an asset outside them is 404, exactly as
// one that does not exist.

const (
	assetPageSize      = 50 // rows of the list per page
	assetUnitPageSize  = 10 // assets a unit's page shows
	assetHistoryLength = 20 // audit events an asset's page shows
)

func assetPath(id int64) string { return "/assets/" + strconv.FormatInt(id, 10) }

// mayRegisterAssets reports whether the actor registers assets for some unit: the security
// office for every unit, staff for the units they see. The CISO, auditors and administrators
// read and judge; they do not register.
func mayRegisterAssets(actor isms.Actor) bool {
	return actor.Can(isms.PermEditAllRegisters) || actor.Role == isms.RoleStaff && (actor.UnitID != 0 || len(actor.UnitIDs) > 0)
}

// seenUnits are the units the actor sees, in tree order.
func seenUnits(actor isms.Actor, units []isms.Unit) []isms.Unit {
	var list []isms.Unit
	for _, u := range units {
		if actor.Sees(u.ID) {
			list = append(list, u)
		}
	}
	return list
}

// assetFilterFrom reads the list's filter from the query; values that are not choices are
// dropped rather than refused, as a filter link may be old.
func assetFilterFrom(r *http.Request, today time.Time) (f isms.AssetFilter, overdue bool) {
	q := r.URL.Query()
	on := func(name string) bool { return q.Get(name) != "" }
	f = isms.AssetFilter{
		Query:     strings.TrimSpace(q.Get("q")),
		UnitID:    formInt(r, "unit"),
		Type:      q.Get("type"),
		Zone:      isms.Zone(q.Get("zone")),
		C:         q.Get("c"),
		I:         q.Get("i"),
		A:         q.Get("a"),
		Status:    isms.AssetStatus(q.Get("status")),
		Personal:  on("personal"),
		MyNumber:  on("my_number"),
		Sensitive: on("sensitive"),
		Flagged:   on("flagged"),
		Sort:      isms.AssetSort(q.Get("sort")),
		Limit:     assetPageSize,
	}
	if !f.Zone.Valid() {
		f.Zone = ""
	}
	if !slices.Contains(isms.AssetStatuses, f.Status) {
		f.Status = ""
	}
	if !slices.Contains([]isms.AssetSort{isms.SortNumber, isms.SortName, isms.SortReviewDue}, f.Sort) {
		f.Sort = isms.SortNumber
	}
	f.OutsourcedTo, _ = isms.ParseOutsourcedTo(q.Get("outsourced_to"))
	if overdue = on("overdue"); overdue {
		f.ReviewBefore = &today
	}
	if id := formInt(r, "after_id"); id > 0 {
		f.After = &isms.AssetCursor{Key: q.Get("after_key"), ID: id}
	}
	return f, overdue
}

func (h *handler) assetList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	today := isms.Day(h.now())
	f, overdue := assetFilterFrom(r, today)
	// The filters' master data is read beside the list, on a connection of its own: the page
	// waits for the slower of the two, not for both in turn.
	type found struct {
		lookups postgres.RegisterLookups
		err     error
	}
	side := make(chan found, 1)
	go func() {
		l, err := h.db.FindRegisterLookups(ctx)
		side <- found{l, err}
	}()
	assets, total, capped, next, err := h.db.FindAssets(ctx, actor, f)
	lk := <-side
	if err == nil {
		err = lk.err
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lookups := lk.lookups
	l := web.AssetList{Filter: f, Overdue: overdue, Assets: assets, Total: total, Capped: capped, Next: next, Today: today,
		Units: seenUnits(actor, lookups.Units), Types: lookups.Types, Scheme: lookups.Scheme, Levels: lookups.Levels}
	h.render(w, r, http.StatusOK, web.AssetListPage(l))
}

// pathAsset is the asset named by the path's {id}, within the reader's scope; when there is
// none it has answered already (404, the same for an asset outside the scope).
func (h *handler) pathAsset(w http.ResponseWriter, r *http.Request) (isms.Asset, bool) {
	return pathRecord(h, w, r, h.db.FindAsset)
}

func (h *handler) assetShow(w http.ResponseWriter, r *http.Request) {
	a, ok := h.pathAsset(w, r)
	if !ok {
		return
	}
	h.renderAsset(w, r, http.StatusOK, a, web.ExceptionForm{})
}

// renderAsset shows an asset's page; a refused 例外措置 shows it again with the form as typed.
func (h *handler) renderAsset(w http.ResponseWriter, r *http.Request, status int, a isms.Asset, exc web.ExceptionForm) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	today := isms.Day(h.now())
	v := web.AssetView{Asset: a, Exception: exc, Today: today}
	var err error
	if exc.ValidTo == "" && exc.Errors == nil {
		v.Exception.ValidTo = isms.ReviewDueDefault(today).Format(time.DateOnly)
	}
	if v.Types, err = h.db.FindAssetTypes(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Levels, err = h.db.FindLevels(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Restrictions, err = h.db.FindAssetRestrictions(ctx, actor, a.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Findings, err = h.db.CheckAssetFindings(ctx, actor, a.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Exceptions, err = h.db.FindRuleExceptions(ctx, actor, a.ID, 0); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Managers, err = h.unitManagers(ctx, a.UnitID, today); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, id := range a.ContentIDs {
		c, err := h.db.FindAsset(ctx, actor, id)
		switch isms.ErrorCode(err) {
		case "":
			v.Contents = append(v.Contents, c)
		case isms.ENOTFOUND: // held on the medium, but outside the reader's scope
		default:
			h.fail(w, r, err)
			return
		}
	}
	if actor.Can(isms.PermViewAuditTrail) || actor.Edits(a.UnitID) {
		v.ShowHistory = true
		if v.History, v.HistoryNext, err = h.db.FindAssetHistory(ctx, actor, a.ID, assetHistoryLength); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	// The transport, provision and disposal requests (運搬・提供・廃棄).
	if v.Requests, err = h.assetRequestsSection(ctx, a, v.Levels); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.AssetPage(v))
}

// unitManagers are the 情報セキュリティ管理者 of a unit on day: of the unit itself, else of the
// nearest unit above it that has one (a 係's 管理者 is its 課's).
func (h *handler) unitManagers(ctx context.Context, unitID int64, day time.Time) ([]isms.Assignment, error) {
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	parent := map[int64]int64{}
	for _, u := range units {
		parent[u.ID] = u.ParentID
	}
	for id, hops := unitID, 0; id != 0 && hops < len(units); id, hops = parent[id], hops+1 {
		holders, err := h.db.FindAssignments(ctx, isms.AssignmentFilter{Day: day, UnitID: id, RoleCode: isms.RoleCodeISM})
		if err != nil {
			return nil, err
		}
		if len(holders) > 0 {
			return holders, nil
		}
	}
	return nil, nil
}

func (h *handler) assetLabel(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, ok := h.pathAsset(w, r)
	if !ok {
		return
	}
	l := web.AssetLabel{Asset: a}
	var err error
	if l.Levels, err = h.db.FindLevels(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if l.Restrictions, err = h.db.FindAssetRestrictions(ctx, isms.ActorFrom(ctx), a.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.AssetLabelPage(l))
}

// assetFormData is the master data of the asset form: the units the reader may register for,
// the types, the active scheme's levels, the restrictions and their defaults per level.
func (h *handler) assetFormData(ctx context.Context, f *web.AssetForm) error {
	actor := isms.ActorFrom(ctx)
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		return err
	}
	today := isms.Day(h.now())
	f.Units = nil
	for _, u := range units {
		if actor.Edits(u.ID) && (u.Contains(today) || u.ID == f.Input.UnitID) {
			f.Units = append(f.Units, u)
		}
	}
	if f.Types, err = h.db.FindAssetTypes(ctx); err != nil {
		return err
	}
	if f.Scheme, err = h.db.FindActiveScheme(ctx); err != nil {
		return err
	}
	if f.Restrictions, err = h.db.FindRestrictions(ctx); err != nil {
		return err
	}
	if f.Defaults, err = h.db.FindLevelRestrictions(ctx); err != nil {
		return err
	}
	if f.Systems, err = h.db.FindSystemOptions(ctx, actor); err != nil {
		return err
	}
	if f.Outsourced, err = h.db.FindOutsourceTargets(ctx, actor); err != nil {
		return err
	}
	// A link the security office made to a record the reader does not see is kept as it is.
	if o := f.Input.OutsourcedTo; !o.IsZero() && !slices.ContainsFunc(f.Outsourced, func(t isms.OutsourceTarget) bool {
		return t.OutsourcedTo == o
	}) {
		name := f.OutsourcedName
		if name == "" {
			name = o.String()
		}
		f.Outsourced = append(f.Outsourced, isms.OutsourceTarget{OutsourcedTo: o, Name: name})
	}
	return nil
}

// renderAssetForm shows the asset form; a refused save shows it again with what was typed and
// each message beside its field.
func (h *handler) renderAssetForm(w http.ResponseWriter, r *http.Request, status int, f web.AssetForm) {
	if err := h.assetFormData(r.Context(), &f); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.AssetFormPage(f))
}

func (h *handler) assetNew(w http.ResponseWriter, r *http.Request) {
	actor := isms.ActorFrom(r.Context())
	if !mayRegisterAssets(actor) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "may not register assets"))
		return
	}
	today := isms.Day(h.now())
	due := isms.ReviewDueDefault(today)
	in := isms.AssetInput{Form: isms.FormElectronic, Status: isms.AssetInUse, ClassifiedAt: &today, ReviewDue: &due}
	if u := formInt(r, "unit"); u != 0 && actor.Edits(u) {
		in.UnitID = u
	} else if actor.UnitID != 0 && actor.Edits(actor.UnitID) && !actor.Can(isms.PermEditAllRegisters) {
		in.UnitID = actor.UnitID // staff register for their own unit
	}
	h.renderAssetForm(w, r, http.StatusOK, web.AssetForm{
		Input: in, ClassifiedAt: today.Format(time.DateOnly), ReviewDue: due.Format(time.DateOnly),
	})
}

func (h *handler) assetEdit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	a, ok := h.pathAsset(w, r)
	if !ok {
		return
	}
	if !actor.Edits(a.UnitID) || a.Status == isms.AssetDisposed {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "may not edit this asset"))
		return
	}
	restrictions, err := h.db.FindAssetRestrictions(ctx, actor, a.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := isms.AssetInput{
		Name: a.Name, Type: a.Type, Description: a.Description, UnitID: a.UnitID, Form: a.Form, Location: a.Location,
		Zone: a.Zone, SystemID: a.SystemID, C: a.C, I: a.I, A: a.A, ContainsPersonal: a.ContainsPersonal,
		ContainsMyNumber: a.ContainsMyNumber, ContainsSensitive: a.ContainsSensitive, DataSubjects: a.DataSubjects,
		UsersScope: a.UsersScope, Retention: a.Retention, BackupPolicy: a.BackupPolicy, RecoveryHours: a.RecoveryHours,
		OutsourcedTo: a.OutsourcedTo, ClassifiedAt: &a.ClassifiedAt, ReviewDue: &a.ReviewDue, Status: a.Status,
		ContentIDs: a.ContentIDs, Removed: map[string]string{}, Version: a.Version,
	}
	for _, x := range restrictions {
		switch {
		case x.Removed:
			in.Removed[x.Restriction.Code] = x.Reason
		case x.Source == "added":
			in.Added = append(in.Added, x.Restriction.Code)
		}
	}
	// The contents by number. One the reader does not see cannot be named, nor kept by their save
	// (the store refuses contents outside the saver's scope): it is left out.
	var numbers []string
	for _, id := range a.ContentIDs {
		c, err := h.db.FindAsset(ctx, actor, id)
		switch isms.ErrorCode(err) {
		case "":
			numbers = append(numbers, c.Number)
		case isms.ENOTFOUND:
		default:
			h.fail(w, r, err)
			return
		}
	}
	h.renderAssetForm(w, r, http.StatusOK, web.AssetForm{
		ID: a.ID, Number: a.Number, Input: in,
		ClassifiedAt: a.ClassifiedAt.Format(time.DateOnly), ReviewDue: a.ReviewDue.Format(time.DateOnly),
		DataSubjects: optionalInt(a.DataSubjects), RecoveryHours: optionalInt(a.RecoveryHours),
		Contents: strings.Join(numbers, "\n"), OutsourcedName: a.OutsourcedName,
	})
}

func optionalInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// postedCount reads an optional whole number (本人数, 目標復旧時間): nil for an empty field, and
// an error against the field when it is not a number. Full-width digits are read as digits.
func postedCount(r *http.Request, name string, fe isms.FieldErrors) (*int, string) {
	raw := strings.TrimSpace(r.PostFormValue(name))
	if raw == "" {
		return nil, raw
	}
	digits := strings.Map(func(c rune) rune {
		switch {
		case c >= '０' && c <= '９':
			return '0' + c - '０'
		case c == ',' || c == '，':
			return -1
		}
		return c
	}, raw)
	n, err := strconv.Atoi(digits)
	fe.Check(err == nil && n >= 0, name, "validation.number")
	if err != nil {
		return nil, raw
	}
	return &n, raw
}

// assetNumbers splits the content field into asset numbers: one a line, or separated by commas
// or spaces.
func assetNumbers(s string) []string {
	var list []string
	for _, n := range strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == '、' || unicode.IsSpace(c) }) {
		if !slices.Contains(list, n) {
			list = append(list, n)
		}
	}
	return list
}

// assetFormFrom reads the asset form. The restrictions are read against the defaults of the
// levels chosen: a default the form showed and the reader unticked is removed (with the reason
// typed beside it); a default the form did not show, because the level was changed, applies;
// any other restriction ticked is added. fe holds what could not be read (dates, numbers).
func assetFormFrom(r *http.Request, id int64, defaults map[string][]string) (web.AssetForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	f := web.AssetForm{ID: id, Contents: strings.TrimSpace(r.PostFormValue("contents"))}
	in := isms.AssetInput{
		Name:              r.PostFormValue("name"),
		Type:              r.PostFormValue("asset_type"),
		Description:       r.PostFormValue("description"),
		UnitID:            formInt(r, "unit_id"),
		Form:              isms.AssetForm(r.PostFormValue("form")),
		Location:          r.PostFormValue("location"),
		Zone:              isms.Zone(r.PostFormValue("zone")),
		SystemID:          formInt(r, "system_id"),
		C:                 r.PostFormValue("confidentiality"),
		I:                 r.PostFormValue("integrity"),
		A:                 r.PostFormValue("availability"),
		ContainsPersonal:  r.PostFormValue("contains_personal") != "",
		ContainsMyNumber:  r.PostFormValue("contains_my_number") != "",
		ContainsSensitive: r.PostFormValue("contains_sensitive") != "",
		UsersScope:        r.PostFormValue("users_scope"),
		Retention:         r.PostFormValue("retention"),
		BackupPolicy:      r.PostFormValue("backup_policy"),
		Status:            isms.AssetStatus(r.PostFormValue("status")),
		Removed:           map[string]string{},
		Version:           int(formInt(r, "version")),
	}
	var ok bool
	in.OutsourcedTo, ok = isms.ParseOutsourcedTo(r.PostFormValue("outsourced_to"))
	fe.Check(ok, "outsourced_to", "validation.choose")
	in.DataSubjects, f.DataSubjects = postedCount(r, "data_subjects", fe)
	in.RecoveryHours, f.RecoveryHours = postedCount(r, "recovery_hours", fe)
	in.ClassifiedAt, f.ClassifiedAt = postedDay(r, "classified_at", fe)
	in.ReviewDue, f.ReviewDue = postedDay(r, "review_due", fe)

	isDefault := map[string]bool{}
	for _, level := range []string{in.C, in.I, in.A} {
		for _, code := range defaults[level] {
			isDefault[code] = true
		}
	}
	ticked, shown := r.PostForm["restriction"], r.PostForm["default_shown"]
	for _, code := range shown {
		if isDefault[code] && !slices.Contains(ticked, code) {
			in.Removed[code] = r.PostFormValue("removed_" + code)
		}
	}
	for _, code := range ticked {
		if !isDefault[code] && !slices.Contains(in.Added, code) {
			in.Added = append(in.Added, code)
		}
	}
	in.Normalize()
	f.Input = in
	return f, fe
}

// saveAsset registers (id 0) or updates an asset from the posted form and answers: to the
// asset's page (with its findings when it saved with warnings), or the form again with each
// rule's message beside its field (422) or the conflict (409).
func (h *handler) saveAsset(w http.ResponseWriter, r *http.Request, id int64) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	if id == 0 && !mayRegisterAssets(actor) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "may not register assets"))
		return
	}
	defaults, err := h.db.FindLevelRestrictions(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, fe := assetFormFrom(r, id, defaults)
	if id != 0 {
		a, ok := h.pathAsset(w, r)
		if !ok {
			return
		}
		if !actor.Edits(a.UnitID) {
			h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "may not edit this asset"))
			return
		}
		f.Number = a.Number
	}
	ids, err := h.assetIDs(ctx, actor, assetNumbers(f.Contents))
	if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
		fe = mergeErrors(fe, ve.Fields)
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Input.ContentIDs = ids
	if len(fe) > 0 {
		f.Errors = mergeErrors(fe, f.Input.Validate())
		h.renderAssetForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	var a isms.Asset
	var findings isms.Findings
	if id == 0 {
		a, findings, err = h.db.CreateAsset(ctx, actor, f.Input)
	} else {
		a, findings, err = h.db.UpdateAsset(ctx, actor, id, f.Input)
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.renderAssetForm(w, r, status, f)
	}) {
		return
	}
	flash := "asset.updated"
	switch {
	case len(findings.Flags()) > 0:
		flash = "asset.saved_flagged"
	case id == 0:
		flash = "asset.created"
	}
	h.done(w, r, flash, assetPath(a.ID))
}

// assetIDs finds the assets with the numbers typed in a medium's content field, within the
// reader's scope; a number that names none is an error beside the field.
func (h *handler) assetIDs(ctx context.Context, actor isms.Actor, numbers []string) ([]int64, error) {
	var ids []int64
	for _, n := range numbers {
		a, err := h.db.FindAssetByNumber(ctx, actor, n)
		if isms.ErrorCode(err) == isms.ENOTFOUND {
			return nil, isms.FieldErrors{"contents": "asset.error.content_number"}.Err()
		}
		if err != nil {
			return nil, err
		}
		ids = append(ids, a.ID)
	}
	return ids, nil
}

func (h *handler) assetCreate(w http.ResponseWriter, r *http.Request) { h.saveAsset(w, r, 0) }

func (h *handler) assetUpdate(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.saveAsset(w, r, id)
	}
}

// assetExceptionCreate records the CISO's permission (例外措置) for a rule the asset breaks, with
// its reason, the alternative measures (代替措置) and the last day it holds.
func (h *handler) assetExceptionCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	a, ok := h.pathAsset(w, r)
	if !ok {
		return
	}
	fe := isms.FieldErrors{}
	form := web.ExceptionForm{
		RuleCode: r.PostFormValue("rule_code"),
		Reason:   r.PostFormValue("reason"),
		Measures: r.PostFormValue("measures"),
	}
	var validTo *time.Time
	validTo, form.ValidTo = postedDay(r, "valid_to", fe)
	e := isms.RuleException{AssetID: a.ID, RuleCode: form.RuleCode, Reason: form.Reason, Measures: form.Measures}
	if validTo != nil {
		e.ValidTo = *validTo
	}
	var err error
	if len(fe) > 0 {
		fe = mergeErrors(fe, e.Validate(isms.Day(h.now())))
	} else {
		_, err = h.db.CreateRuleException(ctx, isms.ActorFrom(ctx), e)
		if ve, ok := errors.AsType[*isms.ValidationError](err); ok {
			fe = ve.Fields
		}
	}
	if len(fe) > 0 {
		form.Errors = fe
		h.renderAsset(w, r, http.StatusUnprocessableEntity, a, form)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, "asset.exception.created", assetPath(a.ID)+"#findings")
}
