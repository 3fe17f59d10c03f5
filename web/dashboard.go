package web

import (
	"context"
	"strconv"

	"github.com/jichitai-isms/isms/internal/isms"
)

// MeasureFigure is how a measure of a unit reads in a cell of the heat map or the overview:
// a count, a rate, a fraction of sheets, or a dash when there is nothing to judge.
func MeasureFigure(ctx context.Context, m isms.UnitMeasures, x isms.Measure) string {
	if m.State(x) == isms.StateNone {
		return "—"
	}
	count := func(n int) string { return t(ctx, "dashboard.figure.count", n) }
	switch x {
	case isms.MeasureLedger:
		if m.LedgerConfirmed {
			return t(ctx, "dashboard.figure.confirmed")
		}
		return t(ctx, "dashboard.figure.unconfirmed")
	case isms.MeasureTraining:
		pct, _ := m.TrainingRate()
		return strconv.Itoa(pct) + "%"
	case isms.MeasureIncidents:
		if m.SevereIncidents > 0 {
			return t(ctx, "dashboard.figure.incidents", m.OpenIncidents, m.SevereIncidents)
		}
	case isms.MeasureInspection:
		return t(ctx, "dashboard.figure.sheets", m.InspectionSubmitted, m.InspectionSheets)
	}
	return count(m.Value(x))
}
