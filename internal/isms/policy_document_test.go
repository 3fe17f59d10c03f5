package isms_test

import (
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// diffText writes a difference as a unified diff does: each line behind its mark.
func diffText(lines []isms.DiffLine) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteByte(byte(l.Op))
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// A revision of the 対策基準: a clause reworded, one added, one removed; the lines around them
// stay. Equal texts show no change, an empty side all of the other.
func TestLineDiff(t *testing.T) {
	old := "# 第1章 総則\n目的\n## 第2条 定義\n機密性2以上\n## 第3条 対象範囲\n全職員"
	revised := "# 第1章 総則\n目的\n## 第2条 定義\n機密性2以上 (自治体機密性)\nクラウドサービスを含む\n全職員"
	want := " # 第1章 総則\n 目的\n ## 第2条 定義\n-機密性2以上\n-## 第3条 対象範囲\n+機密性2以上 (自治体機密性)\n+クラウドサービスを含む\n 全職員\n"
	if got := diffText(isms.LineDiff(old, revised)); got != want {
		t.Errorf("diff:\n%s\nwant:\n%s", got, want)
	}
	if got := diffText(isms.LineDiff(old, old)); strings.ContainsAny(got[:1], "+-") || strings.Contains(got, "\n+") || strings.Contains(got, "\n-") {
		t.Errorf("equal texts differ:\n%s", got)
	}
	if got := diffText(isms.LineDiff("", "a\nb")); got != "+a\n+b\n" {
		t.Errorf("from nothing: %q", got)
	}
	if got := diffText(isms.LineDiff("a\nb", "")); got != "-a\n-b\n" {
		t.Errorf("to nothing: %q", got)
	}
	// The shortest edit keeps the common lines in the middle.
	if got := diffText(isms.LineDiff("a\nx\nb\ny\nc", "a\nb\nz\nc")); got != " a\n-x\n b\n-y\n+z\n c\n" {
		t.Errorf("interleaved: %q", got)
	}
}

// Headings are lines starting with # (h2) and ## (h3); blank lines part paragraphs, whose lines
// stay as written; nothing is markup but the marks at the start of a line.
func TestParseBody(t *testing.T) {
	got := isms.ParseBody("# 第1章 総則\n\n本基準は<b>全職員</b>に適用する。\n次の行\n\n## 第1条\n  \n本文")
	want := []isms.BodyBlock{{2, "第1章 総則"}, {0, "本基準は<b>全職員</b>に適用する。\n次の行"}, {3, "第1条"}, {0, "本文"}}
	if len(got) != len(want) {
		t.Fatalf("blocks: %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("block %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// A restricted document names its readers; a scheduled review has no trigger; an incident
// trigger names the incident; "revise" names the draft; an approval for the committee has the
// day of its meeting.
func TestPolicyDocumentRules(t *testing.T) {
	kinds := []string{"basic_policy", "procedures"}
	in := isms.PolicyDocumentInput{Kind: "procedures", Title: " 実施手順 ", Visibility: isms.VisibilityRestricted, ReviewMonths: 12}
	in.Normalize()
	if fe := in.Validate(kinds); fe["readers"] != "library.error.readers" || in.Title != "実施手順" || len(fe) != 1 {
		t.Errorf("restricted without readers: %v", fe)
	}
	in = isms.PolicyDocumentInput{Kind: "x", Visibility: "secret", ReviewMonths: 0, ReaderUnitIDs: []int64{1}}
	in.Normalize()
	fe := in.Validate(kinds)
	if fe["kind"] == "" || fe["title"] == "" || fe["visibility"] == "" || fe["review_months"] == "" || in.ReaderUnitIDs != nil {
		t.Errorf("bad document: %v %v", fe, in.ReaderUnitIDs)
	}

	due := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	r := isms.PolicyReviewInput{ReviewerID: 1, DueOn: &due, Reason: isms.ReviewScheduled, TriggerKind: isms.TriggerIncident, TriggerID: 4}
	r.Normalize()
	if fe := r.Validate(); len(fe) != 0 || r.TriggerKind != "" || r.TriggerID != 0 {
		t.Errorf("scheduled review: %v %+v", fe, r)
	}
	r = isms.PolicyReviewInput{ReviewerID: 1, DueOn: &due, Reason: isms.ReviewEvent, TriggerKind: isms.TriggerIncident}
	if fe := r.Validate(); fe["trigger_id"] != "library.error.trigger_id" {
		t.Errorf("incident without its id: %v", fe)
	}
	r = isms.PolicyReviewInput{ReviewerID: 1, DueOn: &due, Reason: isms.ReviewEvent, TriggerKind: isms.TriggerGuidelineRevision}
	if fe := r.Validate(); fe["note"] != "library.error.trigger_note" {
		t.Errorf("guideline revision without a note: %v", fe)
	}

	if fe := (isms.PolicyReviewDecision{Outcome: isms.OutcomeRevise}).Validate(); fe["label"] != "library.error.draft_label" {
		t.Errorf("revise without a label: %v", fe)
	}
	if fe := (isms.PolicyApproval{ByCommittee: true}).Validate(); fe["meeting_on"] != "library.error.meeting_on" {
		t.Errorf("committee without its meeting: %v", fe)
	}
	if !isms.IsPDF([]byte("%PDF-1.7\n")) || isms.IsPDF([]byte("PK\x03\x04")) {
		t.Error("IsPDF")
	}
}

// Who reads restricted documents and who approves versions.
func TestPolicyRoles(t *testing.T) {
	staff := isms.Actor{UserID: 1, Role: isms.RoleStaff}
	committee := isms.Actor{UserID: 2, Role: isms.RoleStaff, HeldRoles: []isms.SecurityRoleCode{isms.RoleCodeCommittee}}
	ciso := isms.Actor{UserID: 3, Role: isms.RoleStaff, HeldRoles: []isms.SecurityRoleCode{isms.RoleCodeCISO}}
	office := isms.Actor{UserID: 4, Role: isms.RoleSecurityOffice}
	for _, c := range []struct {
		who                 string
		a                   isms.Actor
		sees, approves, own bool
	}{{"staff", staff, false, false, false}, {"committee", committee, true, true, false},
		{"CISO", ciso, true, true, true}, {"office", office, true, false, false}} {
		if isms.SeesAllPolicies(c.a) != c.sees || isms.MayApprovePolicies(c.a) != c.approves || isms.ApprovesAsCISO(c.a) != c.own {
			t.Errorf("%s: sees %v approves %v as CISO %v", c.who, isms.SeesAllPolicies(c.a), isms.MayApprovePolicies(c.a), isms.ApprovesAsCISO(c.a))
		}
	}
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	past := today.AddDate(0, 0, -1)
	d := isms.PolicyDocument{NextReviewOn: &past}
	if !d.ReviewDue(today) || !d.NeedsReview(today) {
		t.Error("a passed review day with no review is not due")
	}
	d.OpenReviews = 1
	if d.ReviewDue(today) || d.NeedsReview(today) {
		t.Error("a scheduled review still leaves the document due")
	}
	if (isms.PolicyReview{DueOn: past, Status: isms.ReviewOpen}).Overdue(today) != true ||
		(isms.PolicyReview{DueOn: past, Status: isms.ReviewCompleted}).Overdue(today) {
		t.Error("overdue reviews")
	}
}
