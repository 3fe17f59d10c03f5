package isms

import (
	"strconv"
	"time"
)

// The CISO's dashboard, the department pages and the security office's overview show the same
// measures of each unit: what every part of the portal records, counted per unit for one fiscal
// year. Each measure has a state for the heat map and a link to the filtered list behind it.

// Measure names one column of the heat map; its label is "dashboard.measure.<Measure>".
type Measure string

const (
	MeasureFlagged     Measure = "flagged"     // assets breaking a rule as a warning, or awaiting reclassification
	MeasureReview      Measure = "review"      // assets whose classification review is overdue
	MeasureLedger      Measure = "ledger"      // the year's ledger confirmation (棚卸) by the 管理者
	MeasureTraining    Measure = "training"    // training completion of the unit's people
	MeasureIncidents   Measure = "incidents"   // open incidents of the unit, severe ones and PPC reports overdue
	MeasureOverdue     Measure = "overdue"     // corrective actions and approvals overdue
	MeasureInspection  Measure = "inspection"  // the year's self-inspection sheets submitted
	MeasureRoles       Measure = "roles"       // required security roles vacant
	MeasureOutsourcing Measure = "outsourcing" // contracts and external services needing action
)

// Measures lists the heat map's columns in order.
var Measures = []Measure{MeasureFlagged, MeasureReview, MeasureLedger, MeasureTraining, MeasureIncidents,
	MeasureOverdue, MeasureInspection, MeasureRoles, MeasureOutsourcing}

// State is how a measure stands: nothing to judge, fine, to watch, or to act on. The heat map
// colours it and says it in words.
type State int

const (
	StateNone State = iota
	StateGood
	StateWatch
	StateAct
)

// String is the state's catalogue suffix ("dashboard.state.<String>").
func (s State) String() string {
	return [...]string{"none", "good", "watch", "act"}[s]
}

// UnitMeasures are the figures of one unit (its own records, not its sub-units') in a fiscal year.
type UnitMeasures struct {
	UnitID   int64
	UnitCode string
	UnitName string
	ParentID int64
	// FiscalYear is the year counted, which the links behind the figures keep.
	FiscalYear int

	Assets        int // in use or stored
	Flagged       int // warnings or 再分類要確認
	ReviewOverdue int // review_due passed

	LedgerConfirmed bool // the year's 棚卸 is confirmed

	TrainingRequired, TrainingDone int

	OpenIncidents   int // not closed, not 非該当
	SevereIncidents int // open at severity 2 or more
	PPCOverdue      int // PPC reports past their due day, not made

	CorrectiveOverdue int // audit corrective actions of the unit's people past due, not done
	ApprovalsWaiting  int // asset requests waiting for the 管理者's decision

	InspectionSheets, InspectionSubmitted int
	InspectionScore                       int // 実施している among applicable answers, percent; -1 when none

	VacantRoles int // required roles nobody holds (no 情報セキュリティ管理者)

	ContractsAttention int // contracts with clauses missing, checks or reports overdue, ends unconfirmed
	ServicesAttention  int // external services waiting for a decision, reviews overdue, deletions unconfirmed
}

// Add adds o's counts to m (a total or a unit with its sub-units). The ledger counts as confirmed
// only when both are.
func (m *UnitMeasures) Add(o UnitMeasures) {
	m.Assets += o.Assets
	m.Flagged += o.Flagged
	m.ReviewOverdue += o.ReviewOverdue
	m.LedgerConfirmed = m.LedgerConfirmed && o.LedgerConfirmed
	m.TrainingRequired += o.TrainingRequired
	m.TrainingDone += o.TrainingDone
	m.OpenIncidents += o.OpenIncidents
	m.SevereIncidents += o.SevereIncidents
	m.PPCOverdue += o.PPCOverdue
	m.CorrectiveOverdue += o.CorrectiveOverdue
	m.ApprovalsWaiting += o.ApprovalsWaiting
	m.InspectionSheets += o.InspectionSheets
	m.InspectionSubmitted += o.InspectionSubmitted
	m.VacantRoles += o.VacantRoles
	m.ContractsAttention += o.ContractsAttention
	m.ServicesAttention += o.ServicesAttention
}

// TrainingRate is the completion in percent; ok is false when nobody is required.
func (m UnitMeasures) TrainingRate() (pct int, ok bool) {
	if m.TrainingRequired == 0 {
		return 0, false
	}
	return m.TrainingDone * 100 / m.TrainingRequired, true
}

// The thresholds of the heat map 【推定】: training below TrainingActBelow percent is to act on,
// below 100 to watch.
const TrainingActBelow = 80

// State judges one measure of the unit.
func (m UnitMeasures) State(x Measure) State {
	count := func(n int, act bool) State {
		switch {
		case n == 0:
			return StateGood
		case act:
			return StateAct
		}
		return StateWatch
	}
	switch x {
	case MeasureFlagged:
		return count(m.Flagged, false)
	case MeasureReview:
		return count(m.ReviewOverdue, m.Assets > 0 && m.ReviewOverdue*10 >= m.Assets) // a tenth or more
	case MeasureLedger:
		if m.Assets == 0 {
			return StateNone
		}
		if m.LedgerConfirmed {
			return StateGood
		}
		return StateWatch
	case MeasureTraining:
		pct, ok := m.TrainingRate()
		switch {
		case !ok:
			return StateNone
		case pct < TrainingActBelow:
			return StateAct
		case pct < 100:
			return StateWatch
		}
		return StateGood
	case MeasureIncidents:
		return count(m.OpenIncidents, m.SevereIncidents > 0 || m.PPCOverdue > 0)
	case MeasureOverdue:
		return count(m.CorrectiveOverdue+m.ApprovalsWaiting, m.CorrectiveOverdue > 0)
	case MeasureInspection:
		if m.InspectionSheets == 0 {
			return StateNone
		}
		return count(m.InspectionSheets-m.InspectionSubmitted, false)
	case MeasureRoles:
		return count(m.VacantRoles, true)
	case MeasureOutsourcing:
		return count(m.ContractsAttention+m.ServicesAttention, false)
	}
	return StateNone
}

// Value is the measure's figure as one number, larger the more there is to do: counts of what
// needs action, the training still missing in percent, the ledger 1 when unconfirmed, the
// sheets not submitted. Lists sort units by it, worst first.
func (m UnitMeasures) Value(x Measure) int {
	switch x {
	case MeasureFlagged:
		return m.Flagged
	case MeasureReview:
		return m.ReviewOverdue
	case MeasureLedger:
		if m.Assets > 0 && !m.LedgerConfirmed {
			return 1
		}
	case MeasureTraining:
		if pct, ok := m.TrainingRate(); ok {
			return 100 - pct
		}
	case MeasureIncidents:
		return m.OpenIncidents
	case MeasureOverdue:
		return m.CorrectiveOverdue + m.ApprovalsWaiting
	case MeasureInspection:
		return m.InspectionSheets - m.InspectionSubmitted
	case MeasureRoles:
		return m.VacantRoles
	case MeasureOutsourcing:
		return m.ContractsAttention + m.ServicesAttention
	}
	return 0
}

// Worst is the unit's measure in the worst state (the first of the heat map's order among
// equals), and that state.
func (m UnitMeasures) Worst() (Measure, State) {
	worst, state := Measures[0], m.State(Measures[0])
	for _, x := range Measures[1:] {
		if s := m.State(x); s > state {
			worst, state = x, s
		}
	}
	return worst, state
}

// Href is the filtered list behind a measure of the unit.
func (m UnitMeasures) Href(x Measure) string {
	unit, fy := strconv.FormatInt(m.UnitID, 10), strconv.Itoa(m.FiscalYear)
	switch x {
	case MeasureFlagged:
		return "/assets?unit=" + unit + "&flagged=1"
	case MeasureReview:
		return "/assets?unit=" + unit + "&overdue=1&sort=review_due"
	case MeasureLedger:
		return "/ledger?fy=" + fy
	case MeasureTraining:
		return "/training/units/" + unit + "?fy=" + fy
	case MeasureIncidents:
		return "/incidents?unit=" + unit + "&status=open"
	case MeasureOverdue:
		return "/units/" + unit + "#tasks-h"
	case MeasureInspection:
		return "/inspections"
	case MeasureRoles:
		return "/org/matrix"
	case MeasureOutsourcing:
		if m.ContractsAttention == 0 && m.ServicesAttention > 0 {
			return "/external-services?unit=" + unit + "&attention=1"
		}
		return "/contracts?unit=" + unit + "&attention=1"
	}
	return ""
}

// LevelZoneCount is the number of assets at one confidentiality level in one zone ("" none).
type LevelZoneCount struct {
	Level string
	Zone  Zone
	Count int
}

// Dashboard is the CISO's view of a fiscal year on Day: the measures of every unit in the
// reader's scope (in the organisation's order), their total, the assets by confidentiality level
// and zone, the open incidents by severity and the PPC reports due.
type Dashboard struct {
	FiscalYear  int
	Day         time.Time
	Units       []UnitMeasures
	Total       UnitMeasures
	AssetMatrix []LevelZoneCount
	// OpenBySeverity counts open incidents by severity, "" for those not yet judged.
	OpenBySeverity []StatCount
	PPCDueSoon     int // PPC reports due within the next seven days
	PPCOverdue     int
	ReviewsOverdue int // policy reviews past due, town-wide (documents are the town's)
}

// DashboardFilter selects the units a dashboard covers: all in scope, or one with its sub-units.
type DashboardFilter struct {
	FiscalYear int
	UnitID     int64 // 0: every unit in the reader's scope
}
