package isms_test

import (
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The compliance rate leaves out what does not apply: 3 in place, 1 partly, 1 not applicable is
// 3 of 4, 75%; nothing applicable answered has no rate.
func TestInspectionRate(t *testing.T) {
	var c isms.AnswerCounts
	for _, a := range []isms.Answer{isms.AnswerCompliant, isms.AnswerCompliant, isms.AnswerPartial, isms.AnswerNotApplicable, isms.AnswerCompliant, ""} {
		c.Add(a)
	}
	if r, ok := c.Rate(); !ok || r != 0.75 || c.Answered() != 5 || c.Unanswered != 1 {
		t.Errorf("rate %v %v of %+v", r, ok, c)
	}
	if _, ok := (isms.AnswerCounts{NotApplicable: 2}).Rate(); ok {
		t.Error("a rate without applicable answers")
	}
}

// 一部実施 and 未実施 need a measure and its due day; a submission needs every item answered; the
// 責任者's items go on the 管理者's sheet.
func TestInspectionAnswerRules(t *testing.T) {
	due := time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC)
	fe := isms.AnswerInput{ItemID: 7, Answer: isms.AnswerNotCompliant}.Validate()
	if fe["measure-7"] != "inspection.error.measure_required" || fe["due-7"] != "inspection.error.due_required" {
		t.Errorf("not compliant without a measure: %v", fe)
	}
	if fe := (isms.AnswerInput{ItemID: 7, Answer: isms.AnswerPartial, Measure: "周知する", MeasureDueOn: &due}).Validate(); len(fe) != 0 {
		t.Errorf("partial with a measure: %v", fe)
	}
	items := []isms.ChecklistItem{{ID: 1}, {ID: 2}}
	in := isms.SheetInput{Submit: true, Answers: []isms.AnswerInput{{ItemID: 1, Answer: isms.AnswerCompliant}, {ItemID: 2}}}
	if fe := in.Validate(items); fe["submit"] != "inspection.error.incomplete" || fe["answer-2"] != "inspection.error.unanswered" {
		t.Errorf("incomplete submission: %v", fe)
	}
	in.Submit = false
	if fe := in.Validate(items); len(fe) != 0 {
		t.Errorf("saving half a sheet: %v", fe)
	}
	if isms.RespondentOfficer.Sheet() != isms.RespondentManager || isms.RespondentStaff.Sheet() != isms.RespondentStaff {
		t.Error("sheet kinds")
	}
}
