package server

import (
	"net/http"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The classification standard (分類基準): every signed-in person reads it; the security office (and
// administrators, as master data) edit the wording of levels and restrictions, the default
// restrictions of each level, and switch the scheme the town classifies by. A person who may edit
// an asset confirms the levels a switch mapped it to.

// classificationShow is the classification standard: both schemes, the threshold, the matrix.
func (h *handler) classificationShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	c := web.Classification{CanManage: actor.Can(isms.PermManageClassification)}
	var err error
	if c.Schemes, err = h.db.FindSchemes(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if c.Restrictions, err = h.db.FindRestrictions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if c.Matrix, err = h.db.FindLevelRestrictions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if c.CanManage {
		if c.Pending, err = h.db.CountReclassifications(ctx, actor); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, web.ClassificationPage(c))
}

// pathLevel is the level named by the path's {code} with its scheme; when there is none it has
// answered already.
func (h *handler) pathLevel(w http.ResponseWriter, r *http.Request) (isms.Level, isms.Scheme, bool) {
	schemes, err := h.db.FindSchemes(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return isms.Level{}, isms.Scheme{}, false
	}
	code := r.PathValue("code")
	for _, s := range schemes {
		for _, l := range s.Levels {
			if l.Code == code {
				return l, s, true
			}
		}
	}
	h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "no level %q", code))
	return isms.Level{}, isms.Scheme{}, false
}

func (h *handler) levelEdit(w http.ResponseWriter, r *http.Request) {
	l, s, ok := h.pathLevel(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, web.LevelFormPage(web.LevelForm{Level: l, Scheme: s, Input: isms.LevelText{
		NameJa: l.NameJa, NameEn: l.NameEn, DefinitionJa: l.DefinitionJa, DefinitionEn: l.DefinitionEn, Version: l.Version,
	}}))
}

// levelUpdate changes a level's wording; its code, axis and rank stay.
func (h *handler) levelUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	l, s, ok := h.pathLevel(w, r)
	if !ok {
		return
	}
	form := web.LevelForm{Level: l, Scheme: s, Input: isms.LevelText{
		NameJa: r.PostFormValue("name_ja"), NameEn: r.PostFormValue("name_en"),
		DefinitionJa: r.PostFormValue("definition_ja"), DefinitionEn: r.PostFormValue("definition_en"),
		Version: int(formInt(r, "version")),
	}}
	_, err := h.db.UpdateLevel(ctx, isms.ActorFrom(ctx), l.Code, form.Input)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		form.Errors, form.Conflict = errs, conflict
		h.render(w, r, status, web.LevelFormPage(form))
	}) {
		return
	}
	h.done(w, r, "classification.level.updated", "/classification#level-"+l.Code)
}

// renderLevelRestrictions shows the form of a level's default restrictions.
func (h *handler) renderLevelRestrictions(w http.ResponseWriter, r *http.Request, status int, form web.LevelRestrictionsForm) {
	var err error
	if form.Restrictions, err = h.db.FindRestrictions(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.LevelRestrictionsFormPage(form))
}

func (h *handler) levelRestrictionsEdit(w http.ResponseWriter, r *http.Request) {
	l, s, ok := h.pathLevel(w, r)
	if !ok {
		return
	}
	matrix, err := h.db.FindLevelRestrictions(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderLevelRestrictions(w, r, http.StatusOK, web.LevelRestrictionsForm{Level: l, Scheme: s, Chosen: matrix[l.Code], Version: l.Version})
}

// levelRestrictionsUpdate replaces the default restrictions of a level by those ticked.
func (h *handler) levelRestrictionsUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	l, s, ok := h.pathLevel(w, r)
	if !ok {
		return
	}
	form := web.LevelRestrictionsForm{Level: l, Scheme: s, Chosen: r.PostForm["restriction"], Version: int(formInt(r, "version"))}
	err := h.db.SetLevelRestrictions(ctx, isms.ActorFrom(ctx), l.Code, form.Chosen, form.Version)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		form.Errors, form.Conflict = errs, conflict
		h.renderLevelRestrictions(w, r, status, form)
	}) {
		return
	}
	h.done(w, r, "classification.defaults.updated", "/classification#scheme-"+s.Code)
}

// pathRestriction is the restriction named by the path's {code}; when there is none it has
// answered already.
func (h *handler) pathRestriction(w http.ResponseWriter, r *http.Request) (isms.Restriction, bool) {
	res, err := h.db.FindRestriction(r.Context(), r.PathValue("code"))
	if err != nil {
		h.fail(w, r, err)
		return isms.Restriction{}, false
	}
	return res, true
}

func (h *handler) restrictionEdit(w http.ResponseWriter, r *http.Request) {
	res, ok := h.pathRestriction(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, web.RestrictionFormPage(web.RestrictionForm{
		Restriction: res, Input: isms.RestrictionNames{NameJa: res.NameJa, NameEn: res.NameEn}, Version: res.Version,
	}))
}

// restrictionUpdate renames a handling restriction; its code and place in the matrix stay.
func (h *handler) restrictionUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	res, ok := h.pathRestriction(w, r)
	if !ok {
		return
	}
	form := web.RestrictionForm{Restriction: res, Version: int(formInt(r, "version")),
		Input: isms.RestrictionNames{NameJa: r.PostFormValue("name_ja"), NameEn: r.PostFormValue("name_en")}}
	_, err := h.db.UpdateRestriction(ctx, isms.ActorFrom(ctx), res.Code, form.Input, form.Version)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		form.Errors, form.Conflict = errs, conflict
		h.render(w, r, status, web.RestrictionFormPage(form))
	}) {
		return
	}
	h.done(w, r, "classification.restriction.updated", "/classification#restrictions-title")
}

// renderSchemeSwitch shows what switching to the scheme would do, with the button.
func (h *handler) renderSchemeSwitch(w http.ResponseWriter, r *http.Request, status int, to string, form web.SchemeSwitchForm) {
	ctx := r.Context()
	var err error
	if form.Switch, err = h.db.PreviewSchemeSwitch(ctx, isms.ActorFrom(ctx), to); err != nil {
		h.fail(w, r, err)
		return
	}
	if form.Mappings, err = h.db.FindMappings(ctx, to); err != nil {
		h.fail(w, r, err)
		return
	}
	if form.Levels, err = h.db.FindLevels(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.SchemeSwitchPage(form))
}

// schemeSwitchShow is the confirmation page of a switch: how many assets will be mapped and
// flagged 再分類要確認, and by which mapping.
func (h *handler) schemeSwitchShow(w http.ResponseWriter, r *http.Request) {
	h.renderSchemeSwitch(w, r, http.StatusOK, r.URL.Query().Get("to"), web.SchemeSwitchForm{})
}

// schemeSwitch switches the scheme and maps the assets, all at once.
func (h *handler) schemeSwitch(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	to := r.PostFormValue("to")
	_, err := h.db.SwitchScheme(ctx, isms.ActorFrom(ctx), to, int(formInt(r, "version")))
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		h.renderSchemeSwitch(w, r, status, to, web.SchemeSwitchForm{Errors: errs, Conflict: conflict})
	}) {
		return
	}
	h.done(w, r, "classification.switched", "/classification")
}

// assetReclassifyConfirm confirms the levels a scheme switch mapped an asset to (再分類要確認) and
// goes back to the asset's page. Its form has one field, version (the asset's).
func (h *handler) assetReclassifyConfirm(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	if err := h.db.ConfirmReclassification(ctx, isms.ActorFrom(ctx), id, int(formInt(r, "version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, "classification.reclassify.confirmed", assetPath(id))
}
