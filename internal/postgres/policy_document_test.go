package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// account adds a person posted to unit with an account of the portal role linked to them, and
// returns the account's actor on 2026-11-25 (its scope and the roles held that day).
func (tw *town) account(t *testing.T, login, name string, role isms.Role, unit isms.Unit, held ...isms.SecurityRoleCode) isms.Actor {
	t.Helper()
	ctx := context.Background()
	u, err := tw.db.CreateUser(ctx, office, isms.UserInput{LoginID: login, Name: name, Lang: "ja", DateStyle: "seireki",
		Role: role, UnitID: unit.ID}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	p, err := tw.db.CreatePerson(ctx, office, isms.PersonInput{Name: name, Employment: isms.EmploymentRegular,
		ValidFrom: at("2020-04-01"), UnitID: unit.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.db.LinkPersonUser(ctx, office, p.ID, u.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	for _, code := range held {
		unitID := int64(0)
		if code == isms.RoleCodeISM || code == "SYS_ADMIN" {
			unitID = unit.ID
		}
		tw.assign(t, p, code, unitID, "2026-04-01", nil)
	}
	return tw.scope(t, u.ID, "2026-11-25")
}

// publish drafts, submits, approves (by the system, for the committee) and publishes a version of
// the document in one go, as author.
func (tw *town) publish(t *testing.T, author isms.Actor, docID int64, label, body, effective string) isms.DocumentVersion {
	t.Helper()
	ctx := context.Background()
	v, err := tw.db.CreateDraft(ctx, author, docID, isms.DocumentVersionInput{Label: label, Body: body, ChangeSummary: label + "の改定"})
	if err != nil {
		t.Fatal(err)
	}
	if v, err = tw.db.SubmitVersion(ctx, author, docID, v.ID, v.Version); err != nil {
		t.Fatal(err)
	}
	if v, err = tw.db.ApproveVersion(ctx, office, docID, v.ID, isms.PolicyApproval{ByCommittee: true, MeetingOn: at("2026-03-20"), Version: v.Version}); err != nil {
		t.Fatal(err)
	}
	if v, err = tw.db.PublishVersion(ctx, office, docID, v.ID, isms.PolicyPublication{EffectiveOn: at(effective), Version: v.Version}); err != nil {
		t.Fatal(err)
	}
	return v
}

// libraryAudit is the actions the trail holds for a document, oldest first, with their actors.
func (tw *town) libraryAudit(t *testing.T, docID int64) []string {
	t.Helper()
	events, _, err := tw.db.FindAuditEvents(context.Background(), reviewer, isms.AuditFilter{EntityType: "policy_document", EntityID: fmt.Sprint(docID)})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range slices.Backward(events) {
		actions = append(actions, e.Action+" by "+e.ActorLabel)
	}
	return actions
}

func statuses(versions []isms.DocumentVersion) map[string]isms.DocumentVersionStatus {
	out := map[string]isms.DocumentVersionStatus{}
	for _, v := range versions {
		out[v.Label] = v.Status
	}
	return out
}

// The workflow of versions: the security office drafts and submits; it cannot approve; the CISO
// approves; the office publishes, and staff are asked to confirm the version. A revision written
// by the CISO (a reviewer of the document) cannot be approved by the CISO — 兼務の禁止 — but by a
// member of the committee with the meeting's day; publishing it supersedes the first version:
// one version is in force. Stale forms are conflicts; everything is in the document's trail.
func TestPolicyVersionWorkflow(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	off := tw.account(t, "soumu", "総務 担当", isms.RoleSecurityOffice, tw.general)
	ciso := tw.account(t, "ciso", "副町長 一郎", isms.RoleStaff, tw.exec, isms.RoleCodeCISO)
	member := tw.account(t, "iin", "委員 花子", isms.RoleStaff, tw.life, isms.RoleCodeCommittee)
	staff := tw.account(t, "staff", "職員 次郎", isms.RoleStaff, tw.tax)

	if _, err := tw.db.CreatePolicyDocument(ctx, staff, isms.PolicyDocumentInput{Kind: "standards", Title: "対策基準",
		Visibility: isms.VisibilityInternal, ReviewMonths: 12}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff registering a document: %v", err)
	}
	doc, err := tw.db.CreatePolicyDocument(ctx, off, isms.PolicyDocumentInput{Kind: "standards", Title: " 南部町情報セキュリティ対策基準 ",
		Visibility: isms.VisibilityInternal, OwnerUnitID: tw.general.ID, ReviewMonths: 12, MustAcknowledge: true})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "南部町情報セキュリティ対策基準" || doc.OwnerUnitName != "総務課" || doc.PublishedID != 0 {
		t.Errorf("created: %+v", doc)
	}

	v1, err := tw.db.CreateDraft(ctx, off, doc.ID, isms.DocumentVersionInput{Label: "令和8年4月1日施行", Body: "# 第1章 総則\n目的"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.CreateDraft(ctx, staff, doc.ID, isms.DocumentVersionInput{Label: "私案"}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff drafting: %v", err)
	}
	if _, err := tw.db.CreateDraft(ctx, off, doc.ID, isms.DocumentVersionInput{Label: "令和8年4月1日施行"}); fieldErrors(err)["label"] != "library.error.label_taken" {
		t.Errorf("a second version of the same name: %v", err)
	}
	if _, err := tw.db.FindDocumentVersion(ctx, staff, doc.ID, v1.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("staff reading a draft: %v", err)
	}
	if _, err := tw.db.SubmitVersion(ctx, off, doc.ID, v1.ID, v1.Version+1); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("a stale submission: %v", err)
	}
	if v1, err = tw.db.SubmitVersion(ctx, off, doc.ID, v1.ID, v1.Version); err != nil || v1.Status != isms.VersionInReview {
		t.Fatalf("submitting: %+v %v", v1, err)
	}
	if _, err := tw.db.ApproveVersion(ctx, off, doc.ID, v1.ID, isms.PolicyApproval{Version: v1.Version}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("the office approving: %v", err)
	}
	if _, err := tw.db.ApproveVersion(ctx, member, doc.ID, v1.ID, isms.PolicyApproval{Version: v1.Version}); fieldErrors(err)["by"] != "library.error.committee_only" {
		t.Errorf("a committee member approving in their own name: %v", err)
	}
	if v1, err = tw.db.ApproveVersion(ctx, ciso, doc.ID, v1.ID, isms.PolicyApproval{Note: "承認する", Version: v1.Version}); err != nil ||
		v1.Status != isms.VersionApproved || v1.ApprovedByName != "副町長 一郎" || v1.ApprovedByCommittee {
		t.Fatalf("the CISO approving: %+v %v", v1, err)
	}
	if _, err := tw.db.PublishVersion(ctx, ciso, doc.ID, v1.ID, isms.PolicyPublication{EffectiveOn: at("2026-04-01"), Version: v1.Version}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("the CISO publishing: %v", err)
	}
	if _, err := tw.db.PublishVersion(ctx, off, doc.ID, v1.ID, isms.PolicyPublication{Version: v1.Version}); fieldErrors(err)["effective_on"] != "validation.required" {
		t.Errorf("publishing without a day: %v", err)
	}
	if v1, err = tw.db.PublishVersion(ctx, off, doc.ID, v1.ID, isms.PolicyPublication{EffectiveOn: at("2026-04-01"), Version: v1.Version}); err != nil || v1.Status != isms.VersionPublished {
		t.Fatalf("publishing: %+v %v", v1, err)
	}
	doc, _ = tw.db.FindPolicyDocument(ctx, staff, doc.ID)
	if doc.PublishedID != v1.ID || doc.NextReviewOn == nil || !doc.NextReviewOn.Equal(day("2027-04-01")) {
		t.Errorf("after publication: published %d, next review %v", doc.PublishedID, doc.NextReviewOn)
	}
	// Staff read the version in force and are asked to confirm it, with the library's page.
	if v, err := tw.db.FindDocumentVersion(ctx, staff, doc.ID, v1.ID); err != nil || v.Body != "# 第1章 総則\n目的" {
		t.Errorf("staff reading the version in force: %v", err)
	}
	a, err := tw.db.FindAcknowledgement(ctx, staff)
	if err != nil || !a.Due() || a.Version.Title != "南部町情報セキュリティ対策基準" || a.Version.VersionLabel != "令和8年4月1日施行" ||
		a.Version.DocumentURL != fmt.Sprintf("/policies/%d", doc.ID) || !a.Version.EffectiveOn.Equal(day("2026-04-01")) {
		t.Fatalf("the confirmation asked: %+v %v", a, err)
	}
	if _, err := tw.db.AcknowledgePolicy(ctx, staff, a.Version.ID); err != nil {
		t.Fatal(err)
	}

	// The CISO reviews the document and writes the revision: the CISO may not approve it.
	if _, err := tw.db.SchedulePolicyReview(ctx, off, doc.ID, isms.PolicyReviewInput{ReviewerID: ciso.UserID, DueOn: at("2027-03-31"),
		Reason: isms.ReviewScheduled}); err != nil {
		t.Fatal(err)
	}
	v2, err := tw.db.CreateDraft(ctx, ciso, doc.ID, isms.DocumentVersionInput{Label: "令和8年12月1日改定", Body: "# 第1章 総則\n目的と範囲"})
	if err != nil {
		t.Fatal(err)
	}
	if v2.AssigneeID != ciso.UserID {
		t.Errorf("the reviewer's draft is assigned to %d", v2.AssigneeID)
	}
	if v2, err = tw.db.SubmitVersion(ctx, ciso, doc.ID, v2.ID, v2.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.ApproveVersion(ctx, ciso, doc.ID, v2.ID, isms.PolicyApproval{Version: v2.Version}); !errors.Is(err, isms.ErrOwnVersion) || isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("the author approving: %v", err)
	}
	if _, err := tw.db.ApproveVersion(ctx, member, doc.ID, v2.ID, isms.PolicyApproval{ByCommittee: true, Version: v2.Version}); fieldErrors(err)["meeting_on"] != "library.error.meeting_on" {
		t.Errorf("the committee without its meeting: %v", err)
	}
	if v2, err = tw.db.ApproveVersion(ctx, member, doc.ID, v2.ID, isms.PolicyApproval{ByCommittee: true, MeetingOn: at("2026-11-20"), Version: v2.Version}); err != nil ||
		!v2.ApprovedByCommittee || !v2.CommitteeMeetingOn.Equal(day("2026-11-20")) {
		t.Fatalf("the committee approving: %+v %v", v2, err)
	}
	if _, err := tw.db.PublishVersion(ctx, off, doc.ID, v2.ID, isms.PolicyPublication{EffectiveOn: at("2026-12-01"), Version: v2.Version}); err != nil {
		t.Fatal(err)
	}
	versions, err := tw.db.FindDocumentVersions(ctx, staff, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(versions)
	if len(got) != 2 || got["令和8年4月1日施行"] != isms.VersionSuperseded || got["令和8年12月1日改定"] != isms.VersionPublished {
		t.Errorf("versions after the revision: %v", got)
	}
	// Publishing it again is a stale form, not a second version in force.
	if _, err := tw.db.PublishVersion(ctx, off, doc.ID, v1.ID, isms.PolicyPublication{EffectiveOn: at("2026-12-01"), Version: v1.Version}); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("publishing the superseded version: %v", err)
	}
	// The revision asks staff again from its effective day.
	versionsToConfirm, _ := tw.db.FindPolicyVersions(ctx)
	if len(versionsToConfirm) != 2 || versionsToConfirm[0].VersionLabel != "令和8年12月1日改定" {
		t.Errorf("versions to confirm: %+v", versionsToConfirm)
	}

	want := []string{"policy_document.create by soumu", "policy_document.draft by soumu", "policy_document.submit by soumu",
		"policy_document.approve by ciso", "policy_document.publish by soumu", "policy_document.schedule_review by soumu",
		"policy_document.draft by ciso", "policy_document.submit by ciso", "policy_document.approve by iin", "policy_document.publish by soumu"}
	if got := tw.libraryAudit(t, doc.ID); !slices.Equal(got, want) {
		t.Errorf("trail:\n%v\nwant\n%v", got, want)
	}
}

// A restricted document (関係者限り): read by the staff of its reader unit, the holder of its reader
// role, the security office, the CISO and auditors; for the staff of another unit it does not
// exist, in the list or by its id, nor do its versions and PDF.
func TestPolicyRestrictedVisibility(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	off := tw.account(t, "soumu", "総務 担当", isms.RoleSecurityOffice, tw.general)
	taxStaff := tw.account(t, "zeimu", "税務 一郎", isms.RoleStaff, tw.tax)
	lifeStaff := tw.account(t, "seikatsu", "生活 二郎", isms.RoleStaff, tw.life)
	sysAdmin := tw.account(t, "sysadmin", "管理 三郎", isms.RoleStaff, tw.life, "SYS_ADMIN")
	ciso := tw.account(t, "ciso", "副町長 四郎", isms.RoleStaff, tw.exec, isms.RoleCodeCISO)
	kansa, err := tw.db.CreateUser(ctx, office, isms.UserInput{LoginID: "kansa", Name: "監査 人", Lang: "ja", DateStyle: "seireki", Role: isms.RoleAuditor}, "x")
	if err != nil {
		t.Fatal(err)
	}
	auditor := tw.scope(t, kansa.ID, "2026-11-25")

	if _, err := tw.db.CreatePolicyDocument(ctx, off, isms.PolicyDocumentInput{Kind: "procedures", Title: "手順",
		Visibility: isms.VisibilityRestricted, ReviewMonths: 12}); fieldErrors(err)["readers"] != "library.error.readers" {
		t.Errorf("restricted without readers: %v", err)
	}
	doc, err := tw.db.CreatePolicyDocument(ctx, off, isms.PolicyDocumentInput{Kind: "procedures", Title: "税務システム運用手順",
		Visibility: isms.VisibilityRestricted, ReviewMonths: 12, ReaderUnitIDs: []int64{tw.tax.ID}, ReaderRoles: []isms.SecurityRoleCode{"SYS_ADMIN"}})
	if err != nil {
		t.Fatal(err)
	}
	public, err := tw.db.CreatePolicyDocument(ctx, off, isms.PolicyDocumentInput{Kind: "basic_policy", Title: "基本方針",
		Visibility: isms.VisibilityPublic, ReviewMonths: 12})
	if err != nil {
		t.Fatal(err)
	}
	v := tw.publish(t, off, doc.ID, "初版", "# 手順\n運用", "2026-04-01")
	if err := tw.db.AttachPDF(ctx, off, doc.ID, v.ID, v.Version, "x.pdf", []byte("%PDF-1.4")); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("attaching to a published version: %v", err)
	}

	for _, c := range []struct {
		who   string
		actor isms.Actor
		sees  bool
	}{{"the reader unit's staff", taxStaff, true}, {"the reader role's holder", sysAdmin, true}, {"the office", off, true},
		{"the CISO", ciso, true}, {"an auditor", auditor, true}, {"another unit's staff", lifeStaff, false}} {
		_, err := tw.db.FindPolicyDocument(ctx, c.actor, doc.ID)
		list, lerr := tw.db.FindPolicyDocuments(ctx, c.actor, isms.PolicyDocumentFilter{})
		listed := slices.ContainsFunc(list, func(d isms.PolicyDocument) bool { return d.ID == doc.ID })
		if lerr != nil || (err == nil) != c.sees || listed != c.sees {
			t.Errorf("%s: find %v, listed %v (%v), want seen %v", c.who, err, listed, lerr, c.sees)
		}
		if !c.sees && isms.ErrorCode(err) != isms.ENOTFOUND {
			t.Errorf("%s: %v, want not found", c.who, err)
		}
		if !slices.ContainsFunc(list, func(d isms.PolicyDocument) bool { return d.ID == public.ID }) {
			t.Errorf("%s does not see the public document", c.who)
		}
	}
	if _, err := tw.db.FindDocumentVersion(ctx, lifeStaff, doc.ID, v.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's staff reading the version: %v", err)
	}
	if _, err := tw.db.FindDocumentVersions(ctx, lifeStaff, doc.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's staff listing the versions: %v", err)
	}
	if _, err := tw.db.FindPolicyReviews(ctx, lifeStaff, doc.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's staff listing the reviews: %v", err)
	}
	if got, err := tw.db.FindPolicyDocument(ctx, taxStaff, doc.ID); err != nil || len(got.ReaderUnitNames) != 1 || got.ReaderUnitNames[0] != "税務課" ||
		len(got.ReaderRoles) != 1 || got.ReaderRoles[0] != "SYS_ADMIN" {
		t.Errorf("readers: %+v %v", got, err)
	}
}

// A PDF: only a PDF (by its first bytes), within the limit, on a draft; read back whole.
func TestPolicyAttachment(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	off := tw.account(t, "soumu", "総務 担当", isms.RoleSecurityOffice, tw.general)
	doc, err := tw.db.CreatePolicyDocument(ctx, off, isms.PolicyDocumentInput{Kind: "other", Title: "様式集",
		Visibility: isms.VisibilityInternal, ReviewMonths: 24})
	if err != nil {
		t.Fatal(err)
	}
	v, err := tw.db.CreateDraft(ctx, off, doc.ID, isms.DocumentVersionInput{Label: "初版"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.db.AttachPDF(ctx, off, doc.ID, v.ID, v.Version, "a.pdf", []byte("PK\x03\x04 not a pdf")); fieldErrors(err)["file"] != "library.error.not_pdf" {
		t.Errorf("a zip file: %v", err)
	}
	big := append([]byte("%PDF-1.7\n"), make([]byte, isms.MaxPolicyAttachment)...)
	if err := tw.db.AttachPDF(ctx, off, doc.ID, v.ID, v.Version, "big.pdf", big); isms.ErrorCode(err) != isms.ETOOLARGE {
		t.Errorf("a PDF over the limit: %v", err)
	}
	content := []byte("%PDF-1.7\n1 0 obj\n")
	if err := tw.db.AttachPDF(ctx, off, doc.ID, v.ID, v.Version, "様式集.pdf", content); err != nil {
		t.Fatal(err)
	}
	att, err := tw.db.FindAttachment(ctx, off, doc.ID, v.ID)
	if err != nil || att.FileName != "様式集.pdf" || !bytes.Equal(att.Content, content) || att.Size != len(content) {
		t.Errorf("attachment: %+v %v", att.AttachmentInfo, err)
	}
	if got, _ := tw.db.FindDocumentVersion(ctx, off, doc.ID, v.ID); got.Attachment == nil || got.Attachment.FileName != "様式集.pdf" {
		t.Errorf("the version does not name its PDF: %+v", got.Attachment)
	}
}

// Reviews: an overdue review and a review day passed with none scheduled stand out; "no change"
// moves the next review on by the interval from the day it is recorded; a review an incident
// called for names it; "revise" opens a draft of the version in force for the reviewer, which
// completes the review when published. The tasks follow: the reviewer's review, then their
// draft; the CISO's approval (never the reviewer's own draft); the owning unit's open reviews;
// and the fiscal year's calendar.
func TestPolicyReviews(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	off := tw.account(t, "soumu", "総務 担当", isms.RoleSecurityOffice, tw.general)
	rev := tw.account(t, "minaoshi", "見直 花子", isms.RoleStaff, tw.general)
	ciso := tw.account(t, "ciso", "副町長 一郎", isms.RoleStaff, tw.exec, isms.RoleCodeCISO)
	staff := tw.account(t, "staff", "職員 次郎", isms.RoleStaff, tw.tax)

	doc, err := tw.db.CreatePolicyDocument(ctx, off, isms.PolicyDocumentInput{Kind: "standards", Title: "対策基準",
		Visibility: isms.VisibilityInternal, OwnerUnitID: tw.general.ID, ReviewMonths: 12})
	if err != nil {
		t.Fatal(err)
	}
	published := tw.publish(t, off, doc.ID, "令和7年4月1日施行", "# 総則\n本文", "2025-04-01")
	// Its next review fell due on 2026-04-01 and nobody scheduled one.
	doc, _ = tw.db.FindPolicyDocument(ctx, staff, doc.ID)
	if !doc.ReviewDue(staff.Day()) || !doc.NeedsReview(staff.Day()) {
		t.Errorf("a passed review day with no review: %+v", doc)
	}
	due, _ := tw.db.FindPolicyDocuments(ctx, staff, isms.PolicyDocumentFilter{NeedsReview: true})
	if len(due) != 1 || due[0].ID != doc.ID {
		t.Errorf("documents needing a review: %+v", due)
	}

	if _, err := tw.db.SchedulePolicyReview(ctx, staff, doc.ID, isms.PolicyReviewInput{ReviewerID: rev.UserID, DueOn: at("2026-10-31"),
		Reason: isms.ReviewScheduled}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff scheduling: %v", err)
	}
	yearly, err := tw.db.SchedulePolicyReview(ctx, off, doc.ID, isms.PolicyReviewInput{ReviewerID: rev.UserID, DueOn: at("2026-10-31"),
		Reason: isms.ReviewScheduled})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ = tw.db.FindPolicyDocument(ctx, staff, doc.ID)
	if doc.ReviewDue(staff.Day()) || doc.OverdueReviews != 1 || !doc.NeedsReview(staff.Day()) || !yearly.Overdue(staff.Day()) {
		t.Errorf("an overdue review: %+v", doc)
	}
	tasks, err := tw.db.FindPolicyTasks(ctx, rev, 0)
	if err != nil || len(tasks) != 1 || tasks[0].Kind != "review" || tasks[0].Title != "対策基準" || !tasks[0].Overdue(rev.Day()) ||
		tasks[0].Href != fmt.Sprintf("/policies/%d/reviews/%d", doc.ID, yearly.ID) {
		t.Errorf("the reviewer's tasks: %+v %v", tasks, err)
	}
	unitTasks, err := tw.db.FindPolicyTasks(ctx, off, tw.general.ID)
	if err != nil || len(unitTasks) != 1 || unitTasks[0].UnitName != "総務課" {
		t.Errorf("the owning unit's tasks: %+v %v", unitTasks, err)
	}
	if _, err := tw.db.FindPolicyTasks(ctx, staff, tw.general.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("tasks of a unit the actor does not see: %v", err)
	}

	if _, err := tw.db.DecidePolicyReview(ctx, staff, doc.ID, yearly.ID, isms.PolicyReviewDecision{Outcome: isms.OutcomeNoChange, Version: yearly.Version}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("someone else deciding: %v", err)
	}
	yearly, err = tw.db.DecidePolicyReview(ctx, rev, doc.ID, yearly.ID, isms.PolicyReviewDecision{Outcome: isms.OutcomeNoChange, Note: "変更不要", Version: yearly.Version})
	if err != nil || yearly.Status != isms.ReviewCompleted || !yearly.CompletedOn.Equal(day("2026-11-25")) {
		t.Fatalf("no change: %+v %v", yearly, err)
	}
	doc, _ = tw.db.FindPolicyDocument(ctx, staff, doc.ID)
	if !doc.NextReviewOn.Equal(day("2027-11-25")) || doc.NeedsReview(staff.Day()) {
		t.Errorf("after no change: next review %v", doc.NextReviewOn)
	}

	// A severe incident calls for a review.
	inc, err := tw.db.CreateIncident(ctx, staff, isms.IncidentInput{Title: "USBメモリの紛失", Description: "住民情報を含むUSBメモリを紛失",
		AwareAt: at("2026-11-20"), PersonalInfo: isms.PersonalInfoYes, Channel: isms.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.SchedulePolicyReview(ctx, off, doc.ID, isms.PolicyReviewInput{ReviewerID: rev.UserID, DueOn: at("2026-12-20"),
		Reason: isms.ReviewEvent, TriggerKind: isms.TriggerIncident, TriggerID: inc.ID + 100}); fieldErrors(err)["trigger_id"] != "library.error.no_incident" {
		t.Errorf("a review naming no incident: %v", err)
	}
	event, err := tw.db.SchedulePolicyReview(ctx, off, doc.ID, isms.PolicyReviewInput{ReviewerID: rev.UserID, DueOn: at("2026-12-20"),
		Reason: isms.ReviewEvent, TriggerKind: isms.TriggerIncident, TriggerID: inc.ID, Note: "外部記録媒体の規定を見直す"})
	if err != nil || event.TriggerID != inc.ID || event.TriggerKind != isms.TriggerIncident {
		t.Fatalf("an incident's review: %+v %v", event, err)
	}
	if _, err := tw.db.DecidePolicyReview(ctx, rev, doc.ID, event.ID, isms.PolicyReviewDecision{Outcome: isms.OutcomeRevise, Version: event.Version}); fieldErrors(err)["label"] != "library.error.draft_label" {
		t.Errorf("revise without a label: %v", err)
	}
	event, err = tw.db.DecidePolicyReview(ctx, rev, doc.ID, event.ID, isms.PolicyReviewDecision{Outcome: isms.OutcomeRevise, Label: "令和8年12月改定", Version: event.Version})
	if err != nil || event.Status != isms.ReviewRevising || event.DraftVersionID == 0 {
		t.Fatalf("revise: %+v %v", event, err)
	}
	draft, err := tw.db.FindDocumentVersion(ctx, rev, doc.ID, event.DraftVersionID)
	if err != nil || draft.Status != isms.VersionDraft || draft.Body != published.Body || draft.AssigneeID != rev.UserID || draft.ReviewID != event.ID {
		t.Fatalf("the draft: %+v %v", draft, err)
	}
	if tasks, _ := tw.db.FindPolicyTasks(ctx, rev, 0); len(tasks) != 1 || tasks[0].Kind != "draft" || tasks[0].DueOn == nil || !tasks[0].DueOn.Equal(day("2026-12-20")) {
		t.Errorf("the reviewer's tasks while revising: %+v", tasks)
	}
	if draft, err = tw.db.UpdateDraft(ctx, rev, doc.ID, draft.ID, isms.DocumentVersionInput{Label: draft.Label,
		Body: "# 総則\n本文\n## 外部記録媒体\n持ち出しは管理者の許可を要する。", Version: draft.Version}); err != nil {
		t.Fatal(err)
	}
	if draft, err = tw.db.SubmitVersion(ctx, rev, doc.ID, draft.ID, draft.Version); err != nil {
		t.Fatal(err)
	}
	if tasks, _ := tw.db.FindPolicyTasks(ctx, rev, 0); len(tasks) != 0 {
		t.Errorf("the reviewer's tasks after submitting: %+v", tasks)
	}
	tasks, err = tw.db.FindPolicyTasks(ctx, ciso, 0)
	if err != nil || len(tasks) != 1 || tasks[0].Kind != "policy_approval" || tasks[0].Title != "対策基準 令和8年12月改定" ||
		tasks[0].Href != fmt.Sprintf("/policies/%d/versions/%d", doc.ID, draft.ID) {
		t.Errorf("the CISO's tasks: %+v %v", tasks, err)
	}
	if draft, err = tw.db.ApproveVersion(ctx, ciso, doc.ID, draft.ID, isms.PolicyApproval{Version: draft.Version}); err != nil {
		t.Fatal(err)
	}
	if tasks, _ := tw.db.FindPolicyTasks(ctx, ciso, 0); len(tasks) != 0 {
		t.Errorf("the CISO's tasks after approving: %+v", tasks)
	}
	if _, err := tw.db.PublishVersion(ctx, off, doc.ID, draft.ID, isms.PolicyPublication{EffectiveOn: at("2026-12-01"), Version: draft.Version}); err != nil {
		t.Fatal(err)
	}
	event, _ = tw.db.FindPolicyReview(ctx, staff, doc.ID, event.ID)
	if event.Status != isms.ReviewCompleted || event.Outcome != isms.OutcomeRevise || !event.CompletedOn.Equal(day("2026-11-25")) {
		t.Errorf("the review after publication: %+v", event)
	}
	doc, _ = tw.db.FindPolicyDocument(ctx, staff, doc.ID)
	if !doc.NextReviewOn.Equal(day("2027-12-01")) || doc.OpenReviews != 0 {
		t.Errorf("after the revision: next review %v, open reviews %d", doc.NextReviewOn, doc.OpenReviews)
	}

	calendar, err := tw.db.FindPolicyCalendar(ctx, staff, 2026)
	if err != nil {
		t.Fatal(err)
	}
	var days []string
	for _, e := range calendar {
		days = append(days, e.Kind+" "+e.Start.Format(time.DateOnly))
	}
	if !slices.Equal(days, []string{"review 2026-10-31", "review 2026-12-20"}) {
		t.Errorf("calendar of 2026: %v", days)
	}
	if calendar, _ := tw.db.FindPolicyCalendar(ctx, staff, 2027); len(calendar) != 1 || !calendar[0].Start.Equal(day("2027-12-01")) {
		t.Errorf("calendar of 2027: %+v", calendar)
	}

	want := []string{"policy_document.schedule_review by soumu", "policy_document.review_outcome by minaoshi",
		"policy_document.schedule_review by soumu", "policy_document.review_outcome by minaoshi", "policy_document.edit_draft by minaoshi",
		"policy_document.submit by minaoshi", "policy_document.approve by ciso", "policy_document.publish by soumu"}
	if got := tw.libraryAudit(t, doc.ID); len(got) < len(want) || !slices.Equal(got[len(got)-len(want):], want) {
		t.Errorf("trail of the reviews:\n%v\nwant it to end with\n%v", got, want)
	}
}
