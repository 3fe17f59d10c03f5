package server

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The self-inspection pages (自己点検, domain.md §6.2 and §6.5): the campaigns with what the reader
// has to answer, the checklists the security office keeps and versions, a campaign's progress
// and results, its answer sheets, and the printable results for the committee.
//
// Scope is the store's, in SQL: a sheet outside the reader's units is 404, as a missing one; a
// form the reader may not use is 403. A refused form shows its page again (422) with what was
// typed, a stale one with the conflict notice (409).

func inspectionPath(id int64) string { return "/inspections/" + strconv.FormatInt(id, 10) }

func checklistPath(id int64) string { return "/inspections/checklists/" + strconv.FormatInt(id, 10) }

func inspectionSheetPath(campaignID, sheetID int64) string {
	return inspectionPath(campaignID) + "/sheets/" + strconv.FormatInt(sheetID, 10)
}

// inspectionList is the top page: the reader's sheets and measures to do, and the campaigns.
func (h *handler) inspectionList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	v := web.InspectionIndex{Today: isms.Day(h.now())}
	var err error
	if v.Tasks, err = h.db.FindInspectionTasks(ctx, actor, 0); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Campaigns, err = h.db.FindCampaigns(ctx, actor); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.InspectionIndexPage(v))
}

// postedYear reads a fiscal year field; fe holds it when it is not a number.
func postedYear(r *http.Request, name string, fe isms.FieldErrors) (int, string) {
	raw := strings.TrimSpace(r.PostFormValue(name))
	n, err := strconv.Atoi(raw)
	fe.Check(err == nil, name, "validation.choose")
	return n, raw
}

// postedNumber reads a whole-number field; fe holds it when it is not one.
func postedNumber(r *http.Request, name string, fe isms.FieldErrors) (int, string) {
	raw := strings.TrimSpace(r.PostFormValue(name))
	if raw == "" {
		return 0, raw
	}
	n, err := strconv.Atoi(raw)
	fe.Check(err == nil, name, "validation.number")
	return n, raw
}

func checklistFormFrom(r *http.Request) (isms.ChecklistInput, web.InspectionChecklistForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	in := isms.ChecklistInput{Name: r.PostFormValue("name"), Version: int(formInt(r, "version"))}
	var f web.InspectionChecklistForm
	in.FiscalYear, f.FiscalYear = postedYear(r, "fiscal_year", fe)
	f.Input = in
	return in, f, fe
}

func (h *handler) renderChecklists(w http.ResponseWriter, r *http.Request, status int, f web.InspectionChecklistForm) {
	ctx := r.Context()
	list, err := h.db.FindChecklists(ctx, isms.ActorFrom(ctx))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.InspectionChecklistsPage(web.InspectionChecklists{Checklists: list, Form: f, Today: isms.Day(h.now())}))
}

func (h *handler) inspectionChecklistList(w http.ResponseWriter, r *http.Request) {
	fy := isms.FiscalYearOf(h.now())
	h.renderChecklists(w, r, http.StatusOK, web.InspectionChecklistForm{
		Input: isms.ChecklistInput{FiscalYear: fy}, FiscalYear: strconv.Itoa(fy)})
}

func (h *handler) inspectionChecklistCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	in, f, fe := checklistFormFrom(r)
	var c isms.Checklist
	var err error
	if len(fe) == 0 {
		c, err = h.db.CreateChecklist(ctx, isms.ActorFrom(ctx), in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.renderChecklists(w, r, http.StatusUnprocessableEntity, f)
	}) {
		return
	}
	h.done(w, r, "inspection.flash.checklist_created", checklistPath(c.ID))
}

// newItemForm is the form of a new item: numbered after the last one, sorted after it.
func newItemForm(c isms.Checklist) web.InspectionItemForm {
	next := 1
	for _, it := range c.Items {
		next = max(next, it.Number+1)
	}
	return web.InspectionItemForm{ChecklistID: c.ID, InUse: c.InUse, Number: strconv.Itoa(next), SortOrder: strconv.Itoa(next * 10),
		Input: isms.ChecklistItemInput{Number: next, SortOrder: next * 10, Respondent: isms.RespondentManager}}
}

// renderChecklist shows a checklist's page; forms not given are filled from the checklist.
func (h *handler) renderChecklist(w http.ResponseWriter, r *http.Request, status int, id int64, v web.InspectionChecklistView) {
	ctx := r.Context()
	c, err := h.db.FindChecklist(ctx, isms.ActorFrom(ctx), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Checklist, v.Today = c, isms.Day(h.now())
	if v.Heading.FiscalYear == "" {
		v.Heading = web.InspectionChecklistForm{Input: isms.ChecklistInput{Name: c.Name, FiscalYear: c.FiscalYear, Version: c.Version},
			FiscalYear: strconv.Itoa(c.FiscalYear)}
	}
	if v.Item.Number == "" && v.Item.Errors == nil {
		v.Item = newItemForm(c)
	}
	v.Item.ChecklistID, v.Item.InUse = c.ID, c.InUse
	h.render(w, r, status, web.InspectionChecklistPage(v))
}

func (h *handler) inspectionChecklistShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderChecklist(w, r, http.StatusOK, id, web.InspectionChecklistView{})
	}
}

// checklistSaved ends a form of a checklist's page like incidentSaved does for an incident's.
func (h *handler) checklistSaved(w http.ResponseWriter, r *http.Request, id int64, err error, flash, to string, show func(*web.InspectionChecklistView, isms.FieldErrors)) {
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		v := web.InspectionChecklistView{Conflict: conflict}
		if !conflict {
			show(&v, errs)
		}
		h.renderChecklist(w, r, status, id, v)
	}) {
		return
	}
	h.done(w, r, flash, to)
}

func (h *handler) inspectionChecklistUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	in, f, fe := checklistFormFrom(r)
	var err error
	if len(fe) == 0 {
		err = h.db.UpdateChecklist(ctx, isms.ActorFrom(ctx), id, in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	}
	h.checklistSaved(w, r, id, err, "inspection.flash.checklist_saved", checklistPath(id), func(v *web.InspectionChecklistView, errs isms.FieldErrors) {
		f.Errors = errs
		v.Heading = f
	})
}

func (h *handler) inspectionChecklistStatus(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	err := h.db.SetChecklistStatus(ctx, isms.ActorFrom(ctx), id, int(formInt(r, "version")), isms.ChecklistStatus(r.PostFormValue("status")))
	h.checklistSaved(w, r, id, err, "inspection.flash.checklist_status", checklistPath(id), func(v *web.InspectionChecklistView, errs isms.FieldErrors) {
		v.StatusErrors = errs
	})
}

func itemFormFrom(r *http.Request, checklistID, itemID int64) (isms.ChecklistItemInput, web.InspectionItemForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	in := isms.ChecklistItemInput{TextJa: r.PostFormValue("text_ja"), TextEn: r.PostFormValue("text_en"), Area: r.PostFormValue("area"),
		Respondent: isms.Respondent(r.PostFormValue("respondent")), ClauseRef: r.PostFormValue("clause_ref"), Version: int(formInt(r, "version"))}
	f := web.InspectionItemForm{ChecklistID: checklistID, ItemID: itemID}
	in.Number, f.Number = postedNumber(r, "number", fe)
	in.SortOrder, f.SortOrder = postedNumber(r, "sort_order", fe)
	f.Input = in
	return in, f, fe
}

// saveItem saves the posted item and, if the checklist was in use, says that a new version holds
// the change.
func (h *handler) saveItem(r *http.Request, checklistID, itemID int64) (int64, web.InspectionItemForm, error) {
	ctx := r.Context()
	in, f, fe := itemFormFrom(r, checklistID, itemID)
	if len(fe) > 0 {
		in.Normalize()
		return 0, f, mergeErrors(fe, in.Validate()).Err()
	}
	target, err := h.db.SaveChecklistItem(ctx, isms.ActorFrom(ctx), checklistID, itemID, in)
	return target, f, err
}

// itemFlash is the message after an item's change: a new version was made, or the item saved.
func itemFlash(checklistID, target int64, saved string) string {
	if target != checklistID {
		return "inspection.flash.new_version"
	}
	return saved
}

func (h *handler) inspectionItemCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	target, f, err := h.saveItem(r, id, 0)
	h.checklistSaved(w, r, id, err, itemFlash(id, target, "inspection.flash.item_saved"), checklistPath(target)+"#new-item",
		func(v *web.InspectionChecklistView, errs isms.FieldErrors) {
			f.Errors = errs
			v.Item = f
		})
}

// pathItem is the checklist of the path with the item {item} of it (404 for an item of another).
func (h *handler) pathItem(w http.ResponseWriter, r *http.Request) (isms.Checklist, isms.ChecklistItem, bool) {
	c, ok := pathRecord(h, w, r, h.db.FindChecklist)
	if !ok {
		return c, isms.ChecklistItem{}, false
	}
	itemID, ok := h.pathSubID(w, r, "item")
	if !ok {
		return c, isms.ChecklistItem{}, false
	}
	i := slices.IndexFunc(c.Items, func(it isms.ChecklistItem) bool { return it.ID == itemID })
	if i < 0 {
		h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "no such item"))
		return c, isms.ChecklistItem{}, false
	}
	return c, c.Items[i], true
}

func (h *handler) inspectionItemEdit(w http.ResponseWriter, r *http.Request) {
	c, it, ok := h.pathItem(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, web.InspectionItemPage(web.InspectionItemForm{ChecklistID: c.ID, ItemID: it.ID, InUse: c.InUse,
		Number: strconv.Itoa(it.Number), SortOrder: strconv.Itoa(it.SortOrder),
		Input: isms.ChecklistItemInput{Number: it.Number, TextJa: it.TextJa, TextEn: it.TextEn, Area: it.Area, Respondent: it.Respondent,
			ClauseRef: it.ClauseRef, SortOrder: it.SortOrder, Version: it.Version}}))
}

func (h *handler) inspectionItemUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	c, it, ok := h.pathItem(w, r)
	if !ok {
		return
	}
	target, f, err := h.saveItem(r, c.ID, it.ID)
	f.InUse = c.InUse
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.render(w, r, status, web.InspectionItemPage(f))
	}) {
		return
	}
	h.done(w, r, itemFlash(c.ID, target, "inspection.flash.item_saved"), checklistPath(target)+"#item-"+strconv.Itoa(f.Input.Number))
}

func (h *handler) inspectionItemDelete(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	c, it, ok := h.pathItem(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	target, err := h.db.DeleteChecklistItem(ctx, isms.ActorFrom(ctx), c.ID, it.ID, int(formInt(r, "version")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, itemFlash(c.ID, target, "inspection.flash.item_deleted"), checklistPath(target))
}

// renderCampaignForm shows the campaign form with its choices: the active checklists (and the
// one chosen) and the in-scope units open today.
func (h *handler) renderCampaignForm(w http.ResponseWriter, r *http.Request, status int, f web.InspectionCampaignForm) {
	ctx := r.Context()
	list, err := h.db.FindChecklists(ctx, isms.ActorFrom(ctx))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, c := range list {
		if c.Status == isms.ChecklistActive || c.ID == f.Input.ChecklistID {
			f.Checklists = append(f.Checklists, c)
		}
	}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Today = isms.Day(h.now())
	f.Units = systemUnits(units, func(u isms.Unit) bool {
		return u.InScope && u.Contains(f.Today) || slices.Contains(f.Input.UnitIDs, u.ID)
	})
	h.render(w, r, status, web.InspectionCampaignFormPage(f))
}

// inspectionCampaignNew is the form of a new campaign: this fiscal year, its active checklist,
// July to September (domain.md §6.4).
func (h *handler) inspectionCampaignNew(w http.ResponseWriter, r *http.Request) {
	fy := isms.FiscalYearOf(h.now())
	f := web.InspectionCampaignForm{Status: isms.CampaignDraft, Input: isms.CampaignInput{FiscalYear: fy},
		FiscalYear: strconv.Itoa(fy), StartsOn: strconv.Itoa(fy) + "-07-01", EndsOn: strconv.Itoa(fy) + "-09-30"}
	ctx := r.Context()
	list, err := h.db.FindChecklists(ctx, isms.ActorFrom(ctx))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if i := slices.IndexFunc(list, func(c isms.Checklist) bool { return c.Status == isms.ChecklistActive }); i >= 0 {
		f.Input.ChecklistID = list[i].ID
	}
	h.renderCampaignForm(w, r, http.StatusOK, f)
}

func campaignFormFrom(r *http.Request, id int64) (isms.CampaignInput, web.InspectionCampaignForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	in := isms.CampaignInput{Name: r.PostFormValue("name"), ChecklistID: formInt(r, "checklist_id"), UnitIDs: postedIDs(r, "unit"),
		Version: int(formInt(r, "version"))}
	f := web.InspectionCampaignForm{ID: id}
	in.FiscalYear, f.FiscalYear = postedYear(r, "fiscal_year", fe)
	in.StartsOn, f.StartsOn = postedDay(r, "starts_on", fe)
	in.EndsOn, f.EndsOn = postedDay(r, "ends_on", fe)
	f.Input = in
	return in, f, fe
}

func (h *handler) inspectionCampaignCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	in, f, fe := campaignFormFrom(r, 0)
	f.Status = isms.CampaignDraft
	var k isms.Campaign
	var err error
	if len(fe) == 0 {
		k, err = h.db.CreateCampaign(ctx, isms.ActorFrom(ctx), in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.renderCampaignForm(w, r, http.StatusUnprocessableEntity, f)
	}) {
		return
	}
	h.done(w, r, "inspection.flash.campaign_created", inspectionPath(k.ID))
}

func campaignFormOf(k isms.Campaign) web.InspectionCampaignForm {
	return web.InspectionCampaignForm{ID: k.ID, Status: k.Status, FiscalYear: strconv.Itoa(k.FiscalYear),
		StartsOn: formDate(&k.StartsOn), EndsOn: formDate(&k.EndsOn),
		Input: isms.CampaignInput{Name: k.Name, FiscalYear: k.FiscalYear, ChecklistID: k.ChecklistID, UnitIDs: k.UnitIDs, Version: k.Version}}
}

func (h *handler) inspectionCampaignEdit(w http.ResponseWriter, r *http.Request) {
	if k, ok := pathRecord(h, w, r, h.db.FindCampaign); ok {
		h.renderCampaignForm(w, r, http.StatusOK, campaignFormOf(k))
	}
}

func (h *handler) inspectionCampaignUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	k, ok := pathRecord(h, w, r, h.db.FindCampaign)
	if !ok {
		return
	}
	in, f, fe := campaignFormFrom(r, k.ID)
	f.Status = k.Status
	var err error
	if len(fe) == 0 {
		err = h.db.UpdateCampaign(ctx, isms.ActorFrom(ctx), k.ID, in)
	} else {
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		if conflict {
			if k, err = h.db.FindCampaign(ctx, isms.ActorFrom(ctx), k.ID); err != nil {
				h.fail(w, r, err)
				return
			}
			f = campaignFormOf(k)
			f.Conflict = true
		}
		f.Errors = errs
		h.renderCampaignForm(w, r, status, f)
	}) {
		return
	}
	h.done(w, r, "inspection.flash.campaign_saved", inspectionPath(k.ID))
}

// campaignView reads a campaign with the sheets the reader sees and, for those who read them,
// its results.
func (h *handler) campaignView(r *http.Request, id int64) (web.InspectionCampaignView, error) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	v := web.InspectionCampaignView{Today: isms.Day(h.now())}
	var err error
	if v.Campaign, err = h.db.FindCampaign(ctx, actor, id); err != nil {
		return v, err
	}
	if v.Sheets, err = h.db.FindCampaignSheets(ctx, actor, id); err != nil {
		return v, err
	}
	if isms.SeesInspectionResults(actor) && v.Campaign.Status != isms.CampaignDraft {
		res, err := h.db.FindCampaignResults(ctx, actor, id)
		if err != nil {
			return v, err
		}
		v.Results = &res
	}
	return v, nil
}

func (h *handler) renderCampaign(w http.ResponseWriter, r *http.Request, status int, id int64, errs isms.FieldErrors, conflict bool) {
	v, err := h.campaignView(r, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Errors, v.Conflict = errs, conflict
	h.render(w, r, status, web.InspectionCampaignPage(v))
}

func (h *handler) inspectionCampaignShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderCampaign(w, r, http.StatusOK, id, nil, false)
	}
}

// campaignChanged ends a button of a campaign's page: refused (the page again with the message,
// 422, or the conflict notice, 409), failed, or done.
func (h *handler) campaignChanged(w http.ResponseWriter, r *http.Request, id int64, err error, flash string) {
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		h.renderCampaign(w, r, status, id, errs, conflict)
	}) {
		return
	}
	h.done(w, r, flash, inspectionPath(id))
}

func (h *handler) inspectionCampaignOpen(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	if id, ok := h.pathID(w, r); ok {
		ctx := r.Context()
		err := h.db.OpenCampaign(ctx, isms.ActorFrom(ctx), id, int(formInt(r, "version")))
		h.campaignChanged(w, r, id, err, "inspection.flash.campaign_opened")
	}
}

func (h *handler) inspectionCampaignClose(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	if id, ok := h.pathID(w, r); ok {
		ctx := r.Context()
		err := h.db.CloseCampaign(ctx, isms.ActorFrom(ctx), id, int(formInt(r, "version")))
		h.campaignChanged(w, r, id, err, "inspection.flash.campaign_closed")
	}
}

// inspectionReport is the printable results for the committee, for those who read the whole
// town's results (403 for others who see the campaign).
func (h *handler) inspectionReport(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderReport(w, r, http.StatusOK, id, false)
	}
}

func (h *handler) renderReport(w http.ResponseWriter, r *http.Request, status int, id int64, conflict bool) {
	if !isms.SeesInspectionResults(isms.ActorFrom(r.Context())) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "the results are the committee's"))
		return
	}
	v, err := h.campaignView(r, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Conflict = conflict
	h.render(w, r, status, web.InspectionReportPage(v))
}

// inspectionReportSent records that the results went to the committee today.
func (h *handler) inspectionReportSent(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	err := h.db.SendCampaignToCommittee(ctx, isms.ActorFrom(ctx), id, int(formInt(r, "version")))
	if isms.ErrorCode(err) == isms.ECONFLICT {
		h.renderReport(w, r, http.StatusConflict, id, true)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, "inspection.flash.report_sent", inspectionPath(id)+"/report")
}

// renderSheet shows an answer sheet with the form as typed.
func (h *handler) renderSheet(w http.ResponseWriter, r *http.Request, status int, v web.InspectionSheetView) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	campaignID, ok := h.pathID(w, r)
	if !ok {
		return
	}
	sheetID, ok := h.pathSubID(w, r, "sheet")
	if !ok {
		return
	}
	var err error
	if v.Campaign, err = h.db.FindCampaign(ctx, actor, campaignID); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Sheet, err = h.db.FindSheet(ctx, actor, campaignID, sheetID); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Today = isms.Day(h.now())
	h.render(w, r, status, web.InspectionSheetPage(v))
}

func (h *handler) inspectionSheetShow(w http.ResponseWriter, r *http.Request) {
	h.renderSheet(w, r, http.StatusOK, web.InspectionSheetView{})
}

// sheetFormFrom reads the answers of every item the form sent (the items are named by the
// answer-<item> fields they carry), with the values as typed; fe holds the dates that are not dates.
func sheetFormFrom(r *http.Request) (isms.SheetInput, map[int64]web.InspectionAnswerValue, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	in := isms.SheetInput{Submit: r.PostFormValue("submit") != "", Version: int(formInt(r, "version"))}
	values := map[int64]web.InspectionAnswerValue{}
	for name := range r.PostForm {
		raw, ok := strings.CutPrefix(name, "comment-")
		if !ok {
			continue
		}
		itemID, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || itemID <= 0 {
			continue
		}
		val := web.InspectionAnswerValue{Answer: r.PostFormValue(isms.AnswerField("answer", itemID)),
			Comment: r.PostFormValue(name), Measure: r.PostFormValue(isms.AnswerField("measure", itemID))}
		a := isms.AnswerInput{ItemID: itemID, Answer: isms.Answer(val.Answer), Comment: val.Comment, Measure: val.Measure}
		a.MeasureDueOn, val.Due = postedDay(r, isms.AnswerField("due", itemID), fe)
		values[itemID] = val
		in.Answers = append(in.Answers, a)
	}
	slices.SortFunc(in.Answers, func(a, b isms.AnswerInput) int { return cmp.Compare(a.ItemID, b.ItemID) })
	return in, values, fe
}

// inspectionSheetSave saves the answers and, with the submit button, submits the sheet.
func (h *handler) inspectionSheetSave(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	campaignID, ok := h.pathID(w, r)
	if !ok {
		return
	}
	sheetID, ok := h.pathSubID(w, r, "sheet")
	if !ok {
		return
	}
	in, values, fe := sheetFormFrom(r)
	var err error
	if len(fe) == 0 {
		err = h.db.SaveSheet(ctx, isms.ActorFrom(ctx), campaignID, sheetID, in)
	} else {
		more := isms.FieldErrors{}
		for _, a := range in.Answers {
			a.Normalize()
			mergeErrors(more, a.Validate())
		}
		err = mergeErrors(fe, more).Err()
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		v := web.InspectionSheetView{Conflict: conflict}
		if !conflict {
			v.Values, v.Errors = values, errs
		}
		h.renderSheet(w, r, status, v)
	}) {
		return
	}
	flash := "inspection.flash.sheet_saved"
	if in.Submit {
		flash = "inspection.flash.sheet_submitted"
	}
	h.done(w, r, flash, inspectionSheetPath(campaignID, sheetID))
}

func (h *handler) inspectionSheetReopen(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	campaignID, ok := h.pathID(w, r)
	if !ok {
		return
	}
	sheetID, ok := h.pathSubID(w, r, "sheet")
	if !ok {
		return
	}
	err := h.db.ReopenSheet(ctx, isms.ActorFrom(ctx), campaignID, sheetID, int(formInt(r, "version")))
	if h.refused(w, r, err, func(status int, _ isms.FieldErrors, conflict bool) {
		h.renderSheet(w, r, status, web.InspectionSheetView{Conflict: conflict})
	}) {
		return
	}
	h.done(w, r, "inspection.flash.sheet_reopened", inspectionSheetPath(campaignID, sheetID))
}

// inspectionMeasureDone records the day an improvement measure was carried out.
func (h *handler) inspectionMeasureDone(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	campaignID, ok := h.pathID(w, r)
	if !ok {
		return
	}
	sheetID, ok := h.pathSubID(w, r, "sheet")
	if !ok {
		return
	}
	itemID, ok := h.pathSubID(w, r, "item")
	if !ok {
		return
	}
	field := "done_on-" + strconv.FormatInt(itemID, 10)
	fe := isms.FieldErrors{}
	day, raw := postedDay(r, field, fe)
	fe.Check(raw != "", field, "validation.required")
	err := fe.Err()
	if err == nil {
		err = h.db.CompleteMeasure(ctx, isms.ActorFrom(ctx), campaignID, sheetID, itemID, int(formInt(r, "version")), day)
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		v := web.InspectionSheetView{Conflict: conflict, DoneItem: itemID, DoneOn: raw, Errors: isms.FieldErrors{}}
		for _, key := range errs {
			v.Errors.Check(false, field, key)
		}
		h.renderSheet(w, r, status, v)
	}) {
		return
	}
	h.done(w, r, "inspection.flash.measure_done", inspectionSheetPath(campaignID, sheetID))
}
