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

// The social media accounts register (ソーシャルメディアサービス, domain.md §7.4) under
// /social-accounts: the list, the account form, an account's page with the forms of its owner,
// opening, status and checks, and the section of a unit's page.
//
// Every signed-in person reaches the pages; the store shows each the accounts of the units they
// see (404 for the rest) and refuses a change to those who may not make it (403). Forms come back
// to their page: refused with what was typed (422), stale with the conflict notice (409).

func socialAccountPath(id int64) string { return "/social-accounts/" + strconv.FormatInt(id, 10) }

// unitSocialSize is how many accounts a unit's page shows.
const unitSocialSize = 10

// unitSocialAccountsSection is the unit page's section of its social accounts, for those who read
// them (nil for the others).
func (h *handler) unitSocialAccountsSection(ctx context.Context, u isms.Unit) (templ.Component, error) {
	actor := isms.ActorFrom(ctx)
	if !isms.ReadsSocialAccount(actor, u.ID) {
		return nil, nil
	}
	list, next, err := h.db.FindSocialAccounts(ctx, actor, isms.SocialAccountFilter{UnitID: u.ID, Limit: unitSocialSize})
	if err != nil {
		return nil, err
	}
	return web.UnitSocialAccountsSection(u.ID, list, next != 0, isms.Day(h.now())), nil
}

func (h *handler) socialAccountList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	q := r.URL.Query()
	l := web.SocialAccountList{Today: isms.Day(h.now()), Filter: isms.SocialAccountFilter{
		UnitID:    formInt(r, "unit"),
		Platform:  isms.SocialPlatform(q.Get("platform")),
		Status:    isms.SocialAccountStatus(q.Get("status")),
		Attention: q.Get("attention") == "1",
		Query:     q.Get("q"),
		Before:    formInt(r, "before"),
	}}
	if !l.Filter.Platform.Valid() {
		l.Filter.Platform = ""
	}
	if !l.Filter.Status.Valid() {
		l.Filter.Status = ""
	}
	l.Filter.Day = l.Today
	var err error
	if l.Accounts, l.Next, err = h.db.FindSocialAccounts(ctx, actor, l.Filter); err != nil {
		h.fail(w, r, err)
		return
	}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l.Units = systemUnits(units, func(u isms.Unit) bool { return isms.ReadsSocialAccount(actor, u.ID) })
	h.render(w, r, http.StatusOK, web.SocialAccountListPage(l))
}

// socialAccountFormFrom reads the account form.
func socialAccountFormFrom(r *http.Request) web.SocialAccountForm {
	f := web.SocialAccountForm{Interval: strings.TrimSpace(r.PostFormValue("check_interval_months")), Input: isms.SocialAccountInput{
		Platform:           isms.SocialPlatform(r.PostFormValue("platform")),
		PlatformName:       r.PostFormValue("platform_name"),
		AccountName:        r.PostFormValue("account_name"),
		URL:                r.PostFormValue("url"),
		UnitID:             formInt(r, "unit_id"),
		OfficialListingURL: r.PostFormValue("official_listing_url"),
		ProfileStatesUnit:  r.PostFormValue("profile_states_unit") == "1",
		MFAEnabled:         r.PostFormValue("mfa_enabled") == "1",
		MFAMethod:          r.PostFormValue("mfa_method"),
		CredentialStorage:  r.PostFormValue("credential_storage"),
		OperatingProcedure: r.PostFormValue("operating_procedure"),
		PostingRules:       r.PostFormValue("posting_rules"),
		TakeoverProcedure:  r.PostFormValue("takeover_procedure"),
		OwnerID:            formInt(r, "owner_id"),
		Version:            int(formInt(r, "version")),
	}}
	f.Input.CheckIntervalMonths, _ = strconv.Atoi(f.Interval)
	for _, s := range r.PostForm["operator_ids"] {
		id, _ := strconv.ParseInt(s, 10, 64)
		f.Input.OperatorIDs = append(f.Input.OperatorIDs, id)
	}
	return f
}

// renderSocialAccountForm shows the account form with the units and people to choose from.
func (h *handler) renderSocialAccountForm(w http.ResponseWriter, r *http.Request, status int, f web.SocialAccountForm) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	f.Today = isms.Day(h.now())
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Units = systemUnits(units, func(u isms.Unit) bool { return actor.Edits(u.ID) })
	if f.People, err = h.db.FindSocialAccountCandidates(ctx, actor, f.Today); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.SocialAccountFormPage(f))
}

// socialAccountNew is the form of a new account: of the reader's unit, checked every three months.
func (h *handler) socialAccountNew(w http.ResponseWriter, r *http.Request) {
	actor := isms.ActorFrom(r.Context())
	if !isms.RegistersSocialAccounts(actor) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "not permitted to register social accounts"))
		return
	}
	h.renderSocialAccountForm(w, r, http.StatusOK, web.SocialAccountForm{Interval: "3",
		Input: isms.SocialAccountInput{UnitID: actor.UnitID, CheckIntervalMonths: 3}})
}

func (h *handler) socialAccountCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := socialAccountFormFrom(r)
	created, err := h.db.CreateSocialAccount(ctx, isms.ActorFrom(ctx), f.Input)
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.renderSocialAccountForm(w, r, http.StatusUnprocessableEntity, f)
	}) {
		return
	}
	h.done(w, r, "social_account.saved", socialAccountPath(created.ID))
}

func (h *handler) socialAccountEdit(w http.ResponseWriter, r *http.Request) {
	a, ok := pathRecord(h, w, r, h.db.FindSocialAccount)
	if !ok {
		return
	}
	if !isms.ActorFrom(r.Context()).Edits(a.UnitID) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "not permitted to edit social account %d", a.ID))
		return
	}
	f := web.SocialAccountForm{ID: a.ID, Number: a.Number, Status: a.Status, Interval: strconv.Itoa(a.CheckIntervalMonths),
		Input: isms.SocialAccountInput{Platform: a.Platform, PlatformName: a.PlatformName, AccountName: a.AccountName,
			URL: a.URL, UnitID: a.UnitID, OfficialListingURL: a.OfficialListingURL, ProfileStatesUnit: a.ProfileStatesUnit,
			MFAEnabled: a.MFAEnabled, MFAMethod: a.MFAMethod, CredentialStorage: a.CredentialStorage,
			OperatingProcedure: a.OperatingProcedure, PostingRules: a.PostingRules, TakeoverProcedure: a.TakeoverProcedure,
			CheckIntervalMonths: a.CheckIntervalMonths, Version: a.Version}}
	for _, p := range a.Operators {
		f.Input.OperatorIDs = append(f.Input.OperatorIDs, p.PersonID)
	}
	h.renderSocialAccountForm(w, r, http.StatusOK, f)
}

func (h *handler) socialAccountUpdate(w http.ResponseWriter, r *http.Request) {
	a, ok := pathRecord(h, w, r, h.db.FindSocialAccount)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := socialAccountFormFrom(r)
	f.ID, f.Number, f.Status = a.ID, a.Number, a.Status
	_, err := h.db.UpdateSocialAccount(ctx, isms.ActorFrom(ctx), a.ID, f.Input)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.renderSocialAccountForm(w, r, status, f)
	}) {
		return
	}
	h.done(w, r, "social_account.saved", socialAccountPath(a.ID))
}

// renderSocialAccount shows an account's page with its forms as typed.
func (h *handler) renderSocialAccount(w http.ResponseWriter, r *http.Request, status int, id int64, v web.SocialAccountView) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	var err error
	if v.Account, err = h.db.FindSocialAccount(ctx, actor, id); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Today = isms.Day(h.now())
	if actor.Edits(v.Account.UnitID) {
		if v.People, err = h.db.FindSocialAccountCandidates(ctx, actor, v.Today); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if v.Status == "" {
		v.Status = string(v.Account.Status)
	}
	if v.OwnerFrom == "" && v.OwnerErrors == nil {
		v.OwnerFrom = v.Today.Format(time.DateOnly)
	}
	if v.CheckOn == "" && v.CheckErrors == nil {
		v.CheckOn = v.Today.Format(time.DateOnly)
	}
	if v.Assets, err = h.outsourcedAssetsSection(ctx, isms.OutsourcedTo{Kind: isms.OutsourceSocialAccount, ID: id}); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.SocialAccountPage(v))
}

func (h *handler) socialAccountShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderSocialAccount(w, r, http.StatusOK, id, web.SocialAccountView{})
	}
}

// socialAccountChange answers a form of the account's page: save runs the change; on a refusal
// the page comes back with show's form as typed (422) or with the conflict notice (409).
func (h *handler) socialAccountChange(w http.ResponseWriter, r *http.Request, flashKey string,
	save func(ctx context.Context, actor isms.Actor, id int64) error, show func(v *web.SocialAccountView, errs isms.FieldErrors)) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	err := save(ctx, isms.ActorFrom(ctx), id)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		v := web.SocialAccountView{Conflict: conflict}
		if !conflict {
			show(&v, errs)
		}
		h.renderSocialAccount(w, r, status, id, v)
	}) {
		return
	}
	h.done(w, r, flashKey, socialAccountPath(id))
}

func (h *handler) socialAccountOwner(w http.ResponseWriter, r *http.Request) {
	fe := isms.FieldErrors{}
	var in isms.SocialOwnerInput
	var fromRaw string
	h.socialAccountChange(w, r, "social_account.owner.changed", func(ctx context.Context, actor isms.Actor, id int64) error {
		in = isms.SocialOwnerInput{PersonID: formInt(r, "person_id"), Version: int(formInt(r, "version"))}
		in.From, fromRaw = postedDay(r, "valid_from", fe)
		if err := fe.Err(); err != nil {
			return err
		}
		_, err := h.db.ChangeSocialAccountOwner(ctx, actor, id, in)
		return err
	}, func(v *web.SocialAccountView, errs isms.FieldErrors) {
		v.OwnerPersonID, v.OwnerFrom, v.OwnerErrors = strconv.FormatInt(in.PersonID, 10), fromRaw, errs
	})
}

func (h *handler) socialAccountRequestOpening(w http.ResponseWriter, r *http.Request) {
	h.socialAccountChange(w, r, "social_account.opening.requested", func(ctx context.Context, actor isms.Actor, id int64) error {
		_, err := h.db.RequestSocialAccountOpening(ctx, actor, id, int(formInt(r, "version")))
		return err
	}, func(v *web.SocialAccountView, errs isms.FieldErrors) { v.OpeningErrors = errs })
}

func (h *handler) socialAccountApproveOpening(w http.ResponseWriter, r *http.Request) {
	h.socialAccountChange(w, r, "social_account.opening.approved", func(ctx context.Context, actor isms.Actor, id int64) error {
		_, err := h.db.ApproveSocialAccountOpening(ctx, actor, id, int(formInt(r, "version")))
		return err
	}, func(v *web.SocialAccountView, errs isms.FieldErrors) { v.OpeningErrors = errs })
}

func (h *handler) socialAccountStatus(w http.ResponseWriter, r *http.Request) {
	var to isms.SocialAccountStatus
	h.socialAccountChange(w, r, "social_account.status.changed", func(ctx context.Context, actor isms.Actor, id int64) error {
		to = isms.SocialAccountStatus(r.PostFormValue("status"))
		_, err := h.db.ChangeSocialAccountStatus(ctx, actor, id, to, int(formInt(r, "version")))
		return err
	}, func(v *web.SocialAccountView, errs isms.FieldErrors) { v.Status, v.StatusErrors = string(to), errs })
}

func (h *handler) socialAccountCheck(w http.ResponseWriter, r *http.Request) {
	fe := isms.FieldErrors{}
	in := isms.SocialCheckInput{Items: map[string]bool{}}
	var onRaw string
	h.socialAccountChange(w, r, "social_account.checks.saved", func(ctx context.Context, actor isms.Actor, id int64) error {
		in.CheckedOn, onRaw = postedDay(r, "checked_on", fe)
		in.Note = r.PostFormValue("note")
		for _, item := range isms.SocialCheckItems {
			in.Items[item] = r.PostFormValue(item) == "1"
		}
		if len(fe) > 0 {
			return mergeErrors(fe, in.Validate(actor.Day())).Err()
		}
		_, err := h.db.AddSocialAccountCheck(ctx, actor, id, in)
		return err
	}, func(v *web.SocialAccountView, errs isms.FieldErrors) {
		v.CheckOn, v.CheckItems, v.CheckNote, v.CheckErrors = onRaw, in.Items, in.Note, errs
	})
}
