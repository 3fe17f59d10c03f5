package server

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/ledger"
	"github.com/jichitai-isms/isms/web"
)

// The security office's overview (対策状況の一覧): the measures of every unit in one fiscal year
// side by side, for those who read every unit (the route refuses everyone else), and the same
// rows as a workbook. Sorting happens here rather than in the browser so that the page works
// without scripts, prints in the order read, and the workbook comes out in that order too.

// overviewSort reads ?sort= and ?dir=: a unit's code or name, its number of assets, or a measure.
// Without a sort the units keep the organisation's order (by code); without a direction a text
// column ascends and a figure descends, the worst first. Anything else is 400.
func overviewSort(r *http.Request) (web.OverviewSort, error) {
	q := r.URL.Query()
	s := web.OverviewSort{Key: q.Get("sort")}
	switch {
	case s.Key == "":
		s.Key = web.OverviewSortCode
	case s.Key == web.OverviewSortCode, s.Key == web.OverviewSortName, s.Key == web.OverviewSortAssets:
	case slices.Contains(isms.Measures, isms.Measure(s.Key)):
	default:
		return s, isms.Errorf(isms.EINVALID, "no such sort key %q", s.Key)
	}
	switch q.Get("dir") {
	case "":
		s.Desc = s.DefaultDesc()
	case "asc":
	case "desc":
		s.Desc = true
	default:
		return s, isms.Errorf(isms.EINVALID, "no such sort direction")
	}
	return s, nil
}

// sortOverview orders units by s; equal units stay in the order of their codes whichever the
// direction, so that a reversed list is still easy to scan.
func sortOverview(units []isms.UnitMeasures, s web.OverviewSort) {
	byKey := func(a, b isms.UnitMeasures) int {
		switch s.Key {
		case web.OverviewSortCode:
			return strings.Compare(a.UnitCode, b.UnitCode)
		case web.OverviewSortName:
			return strings.Compare(a.UnitName, b.UnitName)
		case web.OverviewSortAssets:
			return cmp.Compare(a.Assets, b.Assets)
		}
		x := isms.Measure(s.Key)
		return cmp.Compare(a.Value(x), b.Value(x))
	}
	slices.SortStableFunc(units, func(a, b isms.UnitMeasures) int {
		c := byKey(a, b)
		if s.Desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.UnitCode, b.UnitCode), cmp.Compare(a.UnitID, b.UnitID))
	})
}

// overviewData is the dashboard of the fiscal year and order asked for; ok is false when the
// request was answered already (a bad year or sort, or the store's error).
func (h *handler) overviewData(w http.ResponseWriter, r *http.Request) (v web.OverviewView, ok bool) {
	fy, years, ok := h.trainingYear(w, r)
	if !ok {
		return v, false
	}
	s, err := overviewSort(r)
	if err != nil {
		h.fail(w, r, err)
		return v, false
	}
	ctx := r.Context()
	d, err := h.db.FindDashboard(ctx, isms.ActorFrom(ctx), isms.DashboardFilter{FiscalYear: fy})
	if err != nil {
		h.fail(w, r, err)
		return v, false
	}
	sortOverview(d.Units, s)
	return web.OverviewView{Dashboard: d, Years: years, Sort: s}, true
}

func (h *handler) overviewShow(w http.ResponseWriter, r *http.Request) {
	v, ok := h.overviewData(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, web.OverviewPage(v))
}

// overviewExport sends the page's rows, in the page's order, as a workbook with the raw figures
// behind each cell: counts as numbers, rates in percent, the ledger as ○ or ×, and a total row.
func (h *handler) overviewExport(w http.ResponseWriter, r *http.Request) {
	v, ok := h.overviewData(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	d := v.Dashboard
	s := ledger.Sheet{Name: i18n.T(ctx, "overview.sheet"), Columns: overviewColumns,
		Title: i18n.T(ctx, "overview.sheet_title", i18n.FormatFiscalYearCtx(ctx, d.FiscalYear), i18n.FormatDateCtx(ctx, d.Day))}
	for _, c := range overviewColumns {
		s.Headers = append(s.Headers, i18n.T(ctx, c.Label))
	}
	for _, m := range d.Units {
		s.Rows = append(s.Rows, overviewRow(m.UnitCode, m.UnitName, m))
	}
	s.Rows = append(s.Rows, overviewRow(i18n.T(ctx, "overview.total_label"), "", d.Total))
	// The file is named by the Western fiscal year whatever the reader's date style, so that
	// the files of several years sort in a folder.
	year := i18n.FormatFiscalYear(d.FiscalYear, i18n.Seireki, i18n.LangFrom(ctx))
	h.sendSheet(w, r, s, "xlsx", "", i18n.T(ctx, "overview.file", year))
}

// overviewColumns are the workbook's columns, in the order of overviewRow.
var overviewColumns = []ledger.Column{
	{Key: "code", Label: "overview.xlsx.code", Width: 12},
	{Key: "name", Label: "overview.xlsx.name", Width: 24},
	{Key: "assets", Label: "overview.xlsx.assets", Width: 10},
	{Key: "flagged", Label: "overview.xlsx.flagged", Width: 10},
	{Key: "review", Label: "overview.xlsx.review", Width: 12},
	{Key: "ledger", Label: "overview.xlsx.ledger", Width: 10},
	{Key: "training_required", Label: "overview.xlsx.training_required", Width: 10},
	{Key: "training_done", Label: "overview.xlsx.training_done", Width: 10},
	{Key: "training_rate", Label: "overview.xlsx.training_rate", Width: 10},
	{Key: "incidents", Label: "overview.xlsx.incidents", Width: 12},
	{Key: "severe", Label: "overview.xlsx.severe", Width: 10},
	{Key: "ppc_overdue", Label: "overview.xlsx.ppc_overdue", Width: 12},
	{Key: "corrective", Label: "overview.xlsx.corrective", Width: 12},
	{Key: "approvals", Label: "overview.xlsx.approvals", Width: 10},
	{Key: "sheets", Label: "overview.xlsx.sheets", Width: 10},
	{Key: "submitted", Label: "overview.xlsx.submitted", Width: 10},
	{Key: "score", Label: "overview.xlsx.score", Width: 10},
	{Key: "roles", Label: "overview.xlsx.roles", Width: 10},
	{Key: "contracts", Label: "overview.xlsx.contracts", Width: 12},
	{Key: "services", Label: "overview.xlsx.services", Width: 12},
}

// overviewRow is one line of the workbook. A rate with nobody to count is left empty rather
// than written as 0, which would read as nobody trained.
func overviewRow(code, name string, m isms.UnitMeasures) []any {
	ledgerMark := "×"
	if m.LedgerConfirmed {
		ledgerMark = "○"
	}
	var rate, score any
	if pct, ok := m.TrainingRate(); ok {
		rate = pct
	}
	if m.InspectionScore >= 0 {
		score = m.InspectionScore
	}
	return []any{code, name, m.Assets, m.Flagged, m.ReviewOverdue, ledgerMark,
		m.TrainingRequired, m.TrainingDone, rate, m.OpenIncidents, m.SevereIncidents, m.PPCOverdue,
		m.CorrectiveOverdue, m.ApprovalsWaiting, m.InspectionSheets, m.InspectionSubmitted, score,
		m.VacantRoles, m.ContractsAttention, m.ServicesAttention}
}
