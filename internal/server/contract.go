package server

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The outsourcing register (業務委託, domain.md §7.1) under /contracts and /contractors: the list
// with its filters and 要対応, a contract's whole record (委託先管理表, printable) with the forms of
// its clause checklist, periodic reports, checks, end and linked incidents, the contract form
// (choosing or registering the contractor by name), and a contractor's page.
//
// Every signed-in person reaches the pages; the store shows each the contracts of their units
// (404 for the rest) and refuses a change to those who may not make it (403). Forms come back to
// their page: refused with what was typed (422), stale with the conflict notice (409).

func contractPath(id int64) string { return "/contracts/" + strconv.FormatInt(id, 10) }

func contractorPath(id int64) string { return "/contractors/" + strconv.FormatInt(id, 10) }

// unitContractsShown is how many active contracts the unit page lists before linking to the rest.
const unitContractsShown = 10

func (h *handler) contractList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	l := web.ContractList{Today: isms.Day(h.now()), Filter: isms.ContractFilter{
		UnitID:    formInt(r, "unit"),
		Status:    isms.ContractStatus(q.Get("status")),
		Query:     q.Get("q"),
		Attention: q.Get("attention") == "1",
		Before:    formInt(r, "before"),
	}}
	if !l.Filter.Status.Valid() {
		l.Filter.Status = ""
	}
	var err error
	if l.Contracts, l.Next, err = h.db.FindContracts(ctx, isms.ActorFrom(ctx), l.Filter); err != nil {
		h.fail(w, r, err)
		return
	}
	if l.Units, err = h.db.FindUnits(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.ContractListPage(l))
}

// contractFormFrom reads the contract form; fe holds the dates and numbers that are not.
func contractFormFrom(r *http.Request) (web.ContractForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	f := web.ContractForm{Dates: map[string]string{}, Input: isms.ContractInput{
		ContractorName:        r.PostFormValue("contractor_name"),
		UnitID:                formInt(r, "unit_id"),
		Title:                 r.PostFormValue("title"),
		ExternalNumber:        r.PostFormValue("external_number"),
		Scope:                 r.PostFormValue("scope"),
		PersonalData:          isms.PersonalData(r.PostFormValue("personal_data")),
		LeadName:              r.PostFormValue("lead_name"),
		LeadContact:           r.PostFormValue("lead_contact"),
		EmergencyContact:      r.PostFormValue("emergency_contact"),
		Workers:               r.PostFormValue("workers"),
		WorkPlace:             r.PostFormValue("work_place"),
		AccessScope:           r.PostFormValue("access_scope"),
		AccessMethod:          r.PostFormValue("access_method"),
		RemoteMaintenance:     r.PostFormValue("remote_maintenance") == "1",
		RemoteMethod:          r.PostFormValue("remote_method"),
		Subcontracting:        r.PostFormValue("subcontracting") == "1",
		SubcontractApprovedBy: r.PostFormValue("subcontract_approved_by"),
		Subcontractor:         r.PostFormValue("subcontractor"),
		SLA:                   r.PostFormValue("sla"),
		ReportEveryMonths:     int(formInt(r, "report_every_months")),
		Version:               int(formInt(r, "version")),
	}}
	for _, s := range r.PostForm["system_ids"] {
		id, _ := strconv.ParseInt(s, 10, 64)
		f.Input.SystemIDs = append(f.Input.SystemIDs, id)
	}
	in := &f.Input
	for name, day := range contractDays(in) {
		*day, f.Dates[name] = postedDay(r, name, fe)
	}
	return f, fe
}

// contractDays are the date fields of the contract form and where the input keeps them.
func contractDays(in *isms.ContractInput) map[string]**time.Time {
	return map[string]**time.Time{"period_from": &in.PeriodFrom, "period_to": &in.PeriodTo,
		"subcontract_approved_on": &in.SubcontractApprovedOn, "education_confirmed_on": &in.EducationConfirmedOn,
		"next_report_due": &in.NextReportDue, "next_check_due": &in.NextCheckDue}
}

// renderContractForm shows the contract form with the units, systems and contractors to choose from.
func (h *handler) renderContractForm(w http.ResponseWriter, r *http.Request, status int, f web.ContractForm) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, u := range units {
		if isms.EditsContract(actor, u.ID) || u.ID == f.Input.UnitID {
			f.Units = append(f.Units, u)
		}
	}
	if f.Systems, err = h.db.FindContractSystems(ctx, actor); err != nil {
		h.fail(w, r, err)
		return
	}
	if f.Contractors, err = h.db.FindContractorNames(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	f.Today = isms.Day(h.now())
	h.render(w, r, status, web.ContractFormPage(f))
}

// contractNew is the form of a new contract for the reader's own unit, without personal data.
func (h *handler) contractNew(w http.ResponseWriter, r *http.Request) {
	actor := isms.ActorFrom(r.Context())
	h.renderContractForm(w, r, http.StatusOK, web.ContractForm{Dates: map[string]string{}, Input: isms.ContractInput{
		UnitID: actor.UnitID, PersonalData: isms.PersonalDataNone}})
}

// contractSave is the create and the update of the contract form: id 0 creates.
func (h *handler) contractSave(w http.ResponseWriter, r *http.Request, id int64) {
	ctx := r.Context()
	f, fe := contractFormFrom(r)
	f.ID = id
	var err error
	if len(fe) > 0 {
		in := f.Input
		in.Normalize()
		err = mergeErrors(fe, in.Validate()).Err()
	} else if id == 0 {
		var c isms.Contract
		c, err = h.db.CreateContract(ctx, isms.ActorFrom(ctx), f.Input)
		id = c.ID
	} else {
		_, err = h.db.UpdateContract(ctx, isms.ActorFrom(ctx), id, f.Input)
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.renderContractForm(w, r, status, f)
	}) {
		return
	}
	h.done(w, r, "contract.flash.saved", contractPath(id))
}

func (h *handler) contractCreate(w http.ResponseWriter, r *http.Request) {
	if h.parseForm(w, r) {
		h.contractSave(w, r, 0)
	}
}

func (h *handler) contractUpdate(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok && h.parseForm(w, r) {
		h.contractSave(w, r, id)
	}
}

func (h *handler) contractEdit(w http.ResponseWriter, r *http.Request) {
	c, ok := pathRecord(h, w, r, h.db.FindContract)
	if !ok {
		return
	}
	if !isms.EditsContract(isms.ActorFrom(r.Context()), c.UnitID) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "may not change the contract"))
		return
	}
	f := web.ContractForm{ID: c.ID, Dates: map[string]string{}, Input: isms.ContractInput{
		ContractorName: c.ContractorName, UnitID: c.UnitID, Title: c.Title, ExternalNumber: c.ExternalNumber,
		PeriodFrom: &c.PeriodFrom, PeriodTo: &c.PeriodTo, Scope: c.Scope, PersonalData: c.PersonalData,
		LeadName: c.LeadName, LeadContact: c.LeadContact, EmergencyContact: c.EmergencyContact, Workers: c.Workers,
		WorkPlace: c.WorkPlace, AccessScope: c.AccessScope, AccessMethod: c.AccessMethod,
		RemoteMaintenance: c.RemoteMaintenance, RemoteMethod: c.RemoteMethod, Subcontracting: c.Subcontracting,
		SubcontractApprovedBy: c.SubcontractApprovedBy, SubcontractApprovedOn: c.SubcontractApprovedOn,
		Subcontractor: c.Subcontractor, SLA: c.SLA, EducationConfirmedOn: c.EducationConfirmedOn,
		ReportEveryMonths: c.ReportEveryMonths, NextReportDue: c.NextReportDue, NextCheckDue: c.NextCheckDue,
		Version: c.Version}}
	for _, s := range c.Systems {
		f.Input.SystemIDs = append(f.Input.SystemIDs, s.ID)
	}
	for name, day := range contractDays(&f.Input) {
		f.Dates[name] = formDate(*day)
	}
	h.renderContractForm(w, r, http.StatusOK, f)
}

// renderContract shows a contract's page with its forms as v holds them (typed, when refused).
func (h *handler) renderContract(w http.ResponseWriter, r *http.Request, status int, id int64, v web.ContractView) {
	ctx := r.Context()
	var err error
	if v.Contract, err = h.db.FindContract(ctx, isms.ActorFrom(ctx), id); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Today = isms.Day(h.now())
	if v.Assets, err = h.outsourcedAssetsSection(ctx, isms.OutsourcedTo{Kind: isms.OutsourceContract, ID: id}); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, web.ContractPage(v))
}

func (h *handler) contractShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.pathID(w, r); ok {
		h.renderContract(w, r, http.StatusOK, id, web.ContractView{})
	}
}

// contractPost reads the form of a contract page's part, saves it with save, and answers: the page
// again with the part's errors (422) or conflict (409), or the page at the part's anchor.
func (h *handler) contractPost(w http.ResponseWriter, r *http.Request, flash, anchor string,
	save func(ctx context.Context, actor isms.Actor, id int64) error, show func(v *web.ContractView, errs isms.FieldErrors, conflict bool)) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	err := save(ctx, isms.ActorFrom(ctx), id)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		var v web.ContractView
		show(&v, errs, conflict)
		h.renderContract(w, r, status, id, v)
	}) {
		return
	}
	h.done(w, r, flash, contractPath(id)+"#"+anchor)
}

// contractClausesSave records the checklist: clause_<n> ticked, note_<n> beside it.
func (h *handler) contractClausesSave(w http.ResponseWriter, r *http.Request) {
	var in isms.ContractClausesInput
	h.contractPost(w, r, "contract.flash.clauses", "clauses", func(ctx context.Context, actor isms.Actor, id int64) error {
		in.Version = int(formInt(r, "version"))
		for n := 1; n <= isms.ContractClauseCount; n++ {
			key := strconv.Itoa(n)
			in.Clauses = append(in.Clauses, isms.ContractClause{Clause: n, Included: r.PostFormValue("clause_"+key) == "1",
				Note: r.PostFormValue("note_" + key)})
		}
		_, err := h.db.SaveContractClauses(ctx, actor, id, in)
		return err
	}, func(v *web.ContractView, errs isms.FieldErrors, conflict bool) {
		in.Normalize()
		v.Clauses = web.ContractClausesForm{Input: &in, Errors: errs, Conflict: conflict}
	})
}

func (h *handler) contractReportCreate(w http.ResponseWriter, r *http.Request) {
	var f web.ContractReportForm
	h.contractPost(w, r, "contract.flash.report", "reports", func(ctx context.Context, actor isms.Actor, id int64) error {
		fe := isms.FieldErrors{}
		f.Input = isms.ContractReportInput{Period: r.PostFormValue("period"), Summary: r.PostFormValue("summary")}
		f.Input.DueOn, f.DueOn = postedDay(r, "due_on", fe)
		f.Input.ReceivedOn, f.ReceivedOn = postedDay(r, "received_on", fe)
		if len(fe) > 0 {
			return mergeErrors(fe, f.Input.Validate(isms.Day(h.now()))).Err()
		}
		return h.db.AddContractReport(ctx, actor, id, f.Input)
	}, func(v *web.ContractView, errs isms.FieldErrors, _ bool) {
		f.Errors = errs
		v.Report = f
	})
}

func (h *handler) contractCheckCreate(w http.ResponseWriter, r *http.Request) {
	var f web.ContractCheckForm
	h.contractPost(w, r, "contract.flash.check", "checks", func(ctx context.Context, actor isms.Actor, id int64) error {
		fe := isms.FieldErrors{}
		f.Input = isms.ContractCheckInput{Method: isms.CheckMethod(r.PostFormValue("method")),
			Result: isms.CheckResult(r.PostFormValue("result")), Findings: r.PostFormValue("findings")}
		f.Input.CheckedOn, f.CheckedOn = postedDay(r, "checked_on", fe)
		f.Input.NextDue, f.NextDue = postedDay(r, "next_due", fe)
		if len(fe) > 0 {
			return mergeErrors(fe, f.Input.Validate(isms.Day(h.now()), true)).Err()
		}
		return h.db.AddContractCheck(ctx, actor, id, f.Input)
	}, func(v *web.ContractView, errs isms.FieldErrors, _ bool) {
		f.Errors = errs
		v.Check = f
	})
}

// contractEnd ends the contract or records the return or disposal, with an optional PDF
// certificate: over isms.MaxContractCertificate is 413, with the reason beside the field.
func (h *handler) contractEnd(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	// The form's other fields are small; the bound is the file's with room for them.
	raiseBodyLimit(w, r, isms.MaxContractCertificate+64<<10)
	var f web.ContractEndForm
	show := func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.renderContract(w, r, status, id, web.ContractView{End: f})
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
			show(http.StatusRequestEntityTooLarge, isms.FieldErrors{"certificate": "contract.error.too_large"}, false)
			return
		}
		h.fail(w, r, isms.Errorf(isms.EINVALID, "malformed form"))
		return
	}
	fe := isms.FieldErrors{}
	f.Input = isms.ContractEndInput{ReturnMethod: r.PostFormValue("return_method"), Version: int(formInt(r, "version"))}
	f.Input.EndedOn, f.EndedOn = postedDay(r, "ended_on", fe)
	f.Input.ReturnedOn, f.ReturnedOn = postedDay(r, "returned_on", fe)
	if file, header, err := r.FormFile("certificate"); err == nil {
		defer file.Close()
		content, err := io.ReadAll(io.LimitReader(file, isms.MaxContractCertificate+1))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if len(content) > 0 {
			f.Input.Certificate, f.Input.CertificateName = content, cleanFileName(header.Filename)
		}
	}
	var err error
	if len(fe) > 0 {
		err = mergeErrors(fe, f.Input.Validate(isms.Day(h.now()), time.Time{})).Err()
	} else {
		_, err = h.db.EndContract(ctx, isms.ActorFrom(ctx), id, f.Input)
	}
	if h.refused(w, r, err, show) {
		return
	}
	h.done(w, r, "contract.flash.ended", contractPath(id)+"#end")
}

// contractCertificate sends the certificate of return or disposal as a download, never to be
// shown in the page's origin.
func (h *handler) contractCertificate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	name, content, err := h.db.FindContractCertificate(ctx, isms.ActorFrom(ctx), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/pdf")
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(content)))
	hd.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(content)
}

// contractIncidentLink links an incident by its number.
func (h *handler) contractIncidentLink(w http.ResponseWriter, r *http.Request) {
	var f web.ContractIncidentForm
	h.contractPost(w, r, "contract.flash.incident_linked", "incidents", func(ctx context.Context, actor isms.Actor, id int64) error {
		f.Number = r.PostFormValue("incident_number")
		return h.db.LinkContractIncident(ctx, actor, id, f.Number)
	}, func(v *web.ContractView, errs isms.FieldErrors, _ bool) {
		f.Errors = errs
		v.Incident = f
	})
}

func (h *handler) contractIncidentUnlink(w http.ResponseWriter, r *http.Request) {
	h.contractPost(w, r, "contract.flash.incident_unlinked", "incidents", func(ctx context.Context, actor isms.Actor, id int64) error {
		incident, err := strconv.ParseInt(r.PathValue("incident"), 10, 64)
		if err != nil {
			return isms.Errorf(isms.ENOTFOUND, "no such incident")
		}
		return h.db.UnlinkContractIncident(ctx, actor, id, incident)
	}, func(*web.ContractView, isms.FieldErrors, bool) {})
}

func (h *handler) contractorShow(w http.ResponseWriter, r *http.Request) {
	if k, ok := pathRecord(h, w, r, h.db.FindContractor); ok {
		h.render(w, r, http.StatusOK, web.ContractorPage(web.ContractorView{Contractor: k, Today: isms.Day(h.now())}))
	}
}

func (h *handler) contractorEdit(w http.ResponseWriter, r *http.Request) {
	k, ok := pathRecord(h, w, r, h.db.FindContractor)
	if !ok {
		return
	}
	if !k.Editable {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "may not change the contractor"))
		return
	}
	h.render(w, r, http.StatusOK, web.ContractorFormPage(web.ContractorForm{ID: k.ID, Input: isms.ContractorInput{
		Name: k.Name, Address: k.Address, ISMSCertified: k.ISMSCertified, ISMSNumber: k.ISMSNumber,
		PMarkCertified: k.PMarkCertified, PMarkNumber: k.PMarkNumber, ISMAPListed: k.ISMAPListed,
		OtherCertifications: k.OtherCertifications, Notes: k.Notes, Version: k.Version}}))
}

func (h *handler) contractorUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := web.ContractorForm{ID: id, Input: isms.ContractorInput{
		Name: r.PostFormValue("name"), Address: r.PostFormValue("address"),
		ISMSCertified: r.PostFormValue("isms_certified") == "1", ISMSNumber: r.PostFormValue("isms_number"),
		PMarkCertified: r.PostFormValue("pmark_certified") == "1", PMarkNumber: r.PostFormValue("pmark_number"),
		ISMAPListed: r.PostFormValue("ismap_listed") == "1", OtherCertifications: r.PostFormValue("other_certifications"),
		Notes: r.PostFormValue("notes"), Version: int(formInt(r, "version"))}}
	_, err := h.db.UpdateContractor(ctx, isms.ActorFrom(ctx), id, f.Input)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.render(w, r, status, web.ContractorFormPage(f))
	}) {
		return
	}
	h.done(w, r, "contract.flash.contractor_saved", contractorPath(id))
}

// unitContractsSection is the unit page's section of its contracts: the active ones with their
// missing clauses and overdue marks, and a link to the unit's list.
func (h *handler) unitContractsSection(ctx context.Context, u isms.Unit) (templ.Component, error) {
	list, next, err := h.db.FindContracts(ctx, isms.ActorFrom(ctx), isms.ContractFilter{UnitID: u.ID,
		Status: isms.ContractActive, Limit: unitContractsShown})
	if err != nil {
		return nil, err
	}
	return web.UnitContractsSection(u.ID, list, next != 0, isms.Day(h.now())), nil
}
