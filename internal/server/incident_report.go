package server

import (
	"net/http"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The incident log's reports: the statistics of a fiscal year for those who see every incident,
// the printable report to the Personal Information Protection Commission (漏えい等報告, 速報 or
// 確報) filled from an incident's record, and the PPC rules the security office keeps.

// incidentStats counts one fiscal year's incidents by month, category, severity and unit. Only
// those who see every incident read it: counts over a part of the incidents would mislead.
func (h *handler) incidentStats(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	if !isms.SeesAllIncidents(actor) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "sees only some incidents"))
		return
	}
	fy, years, ok := h.trainingYear(w, r)
	if !ok {
		return
	}
	v := web.IncidentStatsView{Years: years}
	var err error
	if v.Stats, err = h.db.FindIncidentStats(ctx, actor, fy); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Categories, err = h.db.FindIncidentCategories(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.IncidentStatsPage(v))
}

// incidentPPC prints the PPC report (?kind=prelim, the default, or final) of an incident. An
// incident the reader does not see is 404, as everywhere; of those who see it, the report is
// for the handlers and those who see every incident (isms.SeesAllIncidents covers both): the
// reporter and the unit's managers read the incident but do not report it.
func (h *handler) incidentPPC(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	i, ok := pathRecord(h, w, r, h.db.FindIncident)
	if !ok {
		return
	}
	if !isms.SeesAllIncidents(isms.ActorFrom(ctx)) {
		h.fail(w, r, isms.Errorf(isms.EFORBIDDEN, "does not report incidents"))
		return
	}
	v := web.PPCFormView{Incident: i, Today: h.now().In(japan)}
	switch r.URL.Query().Get("kind") {
	case "", "prelim":
	case "final":
		v.Final = true
	default:
		h.fail(w, r, isms.Errorf(isms.EINVALID, "no such report kind"))
		return
	}
	var err error
	if v.Rules, err = h.db.FindIncidentRules(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.PPCFormPage(v))
}

func (h *handler) incidentRulesShow(w http.ResponseWriter, r *http.Request) {
	rules, err := h.db.FindIncidentRules(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.IncidentRulesPage(web.IncidentRulesFormOf(rules)))
}

// incidentRulesUpdate saves the PPC rules. The numbers are read as typed (full-width digits
// too); what is not a number, or out of its range, comes back beside its field with the form as
// typed (422). The rules apply from the next triage of an incident: due dates already set stay.
func (h *handler) incidentRulesUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	stored, err := h.db.FindIncidentRules(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fe := isms.FieldErrors{}
	in := isms.IncidentRules{Triggers: map[isms.PPCTrigger]bool{}, Version: int(formInt(r, "version"))}
	for _, v := range r.PostForm["triggers"] {
		in.Triggers[isms.PPCTrigger(v)] = true
	}
	number := func(name string, dst *int) string {
		n, raw := postedCount(r, name, fe)
		fe.Check(raw != "", name, "validation.required")
		if n != nil {
			*dst = *n
		}
		return raw
	}
	f := web.IncidentRulesForm{Triggers: in.Triggers, Version: in.Version, Threshold: stored.SubjectThreshold}
	f.SubjectThreshold = number("subject_threshold", &in.SubjectThreshold)
	f.PrelimDays = number("prelim_days", &in.PrelimDays)
	f.FinalDays = number("final_days", &in.FinalDays)
	f.FinalDaysWrongful = number("final_days_wrongful", &in.FinalDaysWrongful)
	f.SoonDays = number("soon_days", &in.SoonDays)
	for name, key := range in.Validate() {
		fe.Check(false, name, key)
	}
	show := func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.render(w, r, status, web.IncidentRulesPage(f))
	}
	if len(fe) > 0 {
		show(http.StatusUnprocessableEntity, fe, false)
		return
	}
	_, err = h.db.UpdateIncidentRules(ctx, isms.ActorFrom(ctx), in)
	if h.refused(w, r, err, show) {
		return
	}
	h.done(w, r, "incident.rules.saved", "/incidents/rules")
}
