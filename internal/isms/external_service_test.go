package isms_test

import (
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// extLevels are the confidentiality levels of 令和6年10月版 (ranks 1–5) and an integrity level.
var extLevels = map[string]isms.Level{
	"LGC1": {Code: "LGC1", Axis: isms.AxisC, Rank: 1}, "LGC2": {Code: "LGC2", Axis: isms.AxisC, Rank: 2},
	"LGC3C": {Code: "LGC3C", Axis: isms.AxisC, Rank: 3}, "LGC3B": {Code: "LGC3B", Axis: isms.AxisC, Rank: 4},
	"LGC3A": {Code: "LGC3A", Axis: isms.AxisC, Rank: 5}, "LGI2": {Code: "LGI2", Axis: isms.AxisI, Rank: 2},
}

// Allows at each boundary: an asset below 自治体機密性2 may use any service not rejected or ended;
// from 2 up only an approved service whose approved level ranks at least as high — a level asked
// for and not yet approved does not count.
func TestExternalServiceAllows(t *testing.T) {
	approved3C := isms.ExternalService{Status: isms.ExtServiceApproved, ApprovedLevel: "LGC3C", RequestedLevel: "LGC3A", PendingBy: 7}
	for _, c := range []struct {
		name string
		s    isms.ExternalService
		rank int
		want bool
	}{
		{"1 on a requested service", isms.ExternalService{Status: isms.ExtServiceRequested, RequestedLevel: "LGC3A"}, 1, true},
		{"2 on a requested service", isms.ExternalService{Status: isms.ExtServiceRequested, RequestedLevel: "LGC3A"}, 2, false},
		{"1 on a rejected service", isms.ExternalService{Status: isms.ExtServiceRejected}, 1, false},
		{"1 on an ended service", isms.ExternalService{Status: isms.ExtServiceEnded, ApprovedLevel: "LGC3A"}, 1, false},
		{"2 on an ended service", isms.ExternalService{Status: isms.ExtServiceEnded, ApprovedLevel: "LGC3A"}, 2, false},
		{"1 on approved 3C", approved3C, 1, true},
		{"2 on approved 3C", approved3C, 2, true},
		{"3C on approved 3C", approved3C, 3, true},
		{"3B on approved 3C (3A asked for)", approved3C, 4, false},
		{"3A on approved 3C (3A asked for)", approved3C, 5, false},
		{"2 on approved 1", isms.ExternalService{Status: isms.ExtServiceApproved, ApprovedLevel: "LGC1"}, 2, false},
		{"2 on approved at an unknown level", isms.ExternalService{Status: isms.ExtServiceApproved, ApprovedLevel: "OLD2"}, 2, false},
		{"2 on approved at an integrity level", isms.ExternalService{Status: isms.ExtServiceApproved, ApprovedLevel: "LGI2"}, 2, false},
	} {
		if got := c.s.Allows(c.rank, extLevels); got != c.want {
			t.Errorf("%s: Allows = %v, want %v", c.name, got, c.want)
		}
	}
}

// The review state: overdue after the day, due within 30 days, nothing later or when not in use.
func TestExternalServiceReviewState(t *testing.T) {
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	due := func(s string) *time.Time { d, _ := time.Parse(time.DateOnly, s); return &d }
	for _, c := range []struct {
		status isms.ExternalServiceStatus
		due    string
		want   string
	}{
		{isms.ExtServiceApproved, "2026-11-24", "overdue"},
		{isms.ExtServiceApproved, "2026-11-25", "soon"},
		{isms.ExtServiceApproved, "2026-12-25", "soon"},
		{isms.ExtServiceApproved, "2026-12-26", ""},
		{isms.ExtServiceEnded, "2026-11-01", ""},
	} {
		s := isms.ExternalService{Status: c.status, ReviewDue: due(c.due)}
		if got := s.ReviewState(today); got != c.want {
			t.Errorf("%s due %s: %q, want %q", c.status, c.due, got, c.want)
		}
	}
}

// The review's next due day defaults to a year on; an improvement needs its note.
func TestExternalServiceReviewInput(t *testing.T) {
	on := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	in := isms.ExternalServiceReviewInput{ReviewedOn: &on, Result: isms.ReviewImprove, Today: on}
	in.Normalize()
	if in.NextDue == nil || !in.NextDue.Equal(on.AddDate(1, 0, 0)) {
		t.Errorf("next due: %v", in.NextDue)
	}
	if fe := in.Validate(); fe["note"] != "external_service.error.improve_note" {
		t.Errorf("improvement without a note: %v", fe)
	}
	future := on.AddDate(0, 0, 1)
	in = isms.ExternalServiceReviewInput{ReviewedOn: &future, Result: isms.ReviewContinue, Today: on}
	if fe := in.Validate(); fe["reviewed_on"] != "external_service.error.future" {
		t.Errorf("review in the future: %v", fe)
	}
}
