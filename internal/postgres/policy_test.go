package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// policyVersion publishes a version of the basic policy in the library, taking effect on the
// day, and returns the version staff confirm that the publication added.
func (tw *town) policyVersion(t *testing.T, label, effective string) isms.PolicyVersion {
	t.Helper()
	ctx := context.Background()
	docs, err := tw.db.FindPolicyDocuments(ctx, office, isms.PolicyDocumentFilter{Kind: "basic_policy"})
	if err != nil {
		t.Fatal(err)
	}
	var doc isms.PolicyDocument
	if len(docs) > 0 {
		doc = docs[0]
	} else if doc, err = tw.db.CreatePolicyDocument(ctx, office, isms.PolicyDocumentInput{Kind: "basic_policy",
		Title: "南部町情報セキュリティ基本方針", Visibility: isms.VisibilityPublic, ReviewMonths: 12, MustAcknowledge: true}); err != nil {
		t.Fatal(err)
	}
	tw.publish(t, office, doc.ID, label, "# 目的\n"+label, effective)
	versions, err := tw.db.FindPolicyVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		if v.VersionLabel == label {
			return v
		}
	}
	t.Fatalf("publishing %s added no version to confirm", label)
	return isms.PolicyVersion{}
}

// policyAudit is the actions the trail holds for a version.
func (tw *town) policyAudit(t *testing.T, v isms.PolicyVersion) []string {
	t.Helper()
	events, _, err := tw.db.FindAuditEvents(context.Background(), reviewer, isms.AuditFilter{EntityType: "policy_version", EntityID: fmt.Sprint(v.ID)})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action+" by "+e.ActorLabel)
	}
	return actions
}

// A person confirms the version in force, once (a second confirmation keeps the first), never an
// older one; an account linked to no person cannot confirm at all.
func TestAcknowledgePolicy(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	person, user := tw.person(t, "staff", "職員 一郎", tw.tax)
	staff := tw.scope(t, user, "2026-11-25")

	if _, err := tw.db.FindAcknowledgement(ctx, staff); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("acknowledgement with no version: %v", err)
	}
	old := tw.policyVersion(t, "平成30年4月1日制定", "2018-04-01")
	current := tw.policyVersion(t, "令和8年4月1日改定", "2026-04-01")
	tw.policyVersion(t, "令和9年4月1日改定", "2027-04-01")

	a, err := tw.db.FindAcknowledgement(ctx, staff)
	if err != nil || a.Version.ID != current.ID || a.PersonID != person.ID || a.AcknowledgedAt != nil || !a.Due() {
		t.Fatalf("before confirming: %+v, %v", a, err)
	}
	if _, err := tw.db.AcknowledgePolicy(ctx, staff, old.ID); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("confirming the old version: %v", err)
	}
	if _, err := tw.db.AcknowledgePolicy(ctx, staff, current.ID+100); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("confirming no version: %v", err)
	}
	first, err := tw.db.AcknowledgePolicy(ctx, staff, current.ID)
	if err != nil || first.AcknowledgedAt == nil || first.Due() {
		t.Fatalf("confirming: %+v, %v", first, err)
	}
	again, err := tw.db.AcknowledgePolicy(ctx, staff, current.ID)
	if err != nil || again.AcknowledgedAt == nil || !again.AcknowledgedAt.Equal(*first.AcknowledgedAt) {
		t.Errorf("confirming again: %+v, %v", again, err)
	}
	if a, err := tw.db.FindAcknowledgement(ctx, staff); err != nil || a.AcknowledgedAt == nil || !a.AcknowledgedAt.Equal(*first.AcknowledgedAt) || a.Due() {
		t.Errorf("after confirming: %+v, %v", a, err)
	}
	if got := tw.policyAudit(t, current); len(got) != 2 || got[0] != "policy.acknowledge by staff" {
		t.Errorf("trail: %v (one confirmation, then the creation)", got)
	}

	// An account of nobody in particular sees the version but has nothing to confirm with.
	u, err := tw.db.CreateUser(ctx, office, isms.UserInput{LoginID: "kansa", Name: "監査 人", Lang: "ja", DateStyle: "seireki",
		Role: isms.RoleAuditor}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	auditor := tw.scope(t, u.ID, "2026-11-25")
	if a, err := tw.db.FindAcknowledgement(ctx, auditor); err != nil || a.PersonID != 0 || a.Due() {
		t.Errorf("acknowledgement of an account without a person: %+v, %v", a, err)
	}
	if _, err := tw.db.AcknowledgePolicy(ctx, auditor, current.ID); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("an account without a person confirming: %v", err)
	}
}

// The status counts the people in service on the day per unit, the confirmations of the version
// asked about, and names those who have not confirmed; a new version starts again from nobody.
// The office sees every unit, a 管理者 their units, staff nothing.
func TestPolicyStatus(t *testing.T) {
	ctx := context.Background()
	tw := newTown(t)
	_, ichiroUser := tw.person(t, "ichiro", "税務 一郎", tw.tax)
	_, jiroUser := tw.person(t, "jiro", "税務 二郎", tw.tax)
	tw.person(t, "saburo", "住民 三郎", tw.taxTeam)
	hanako, hanakoUser := tw.person(t, "hanako", "総務 花子", tw.general)
	tw.assign(t, hanako, isms.RoleCodeISM, tw.tax.ID, "2026-04-01", nil)
	// A fiscal-year appointee without an account counts too; someone who left does not.
	if _, err := tw.db.CreatePerson(ctx, office, isms.PersonInput{EmployeeNo: "K001", Name: "会計 四郎", Employment: isms.EmploymentFiscalYear,
		ValidFrom: at("2026-04-01"), ValidTo: at("2027-03-31"), UnitID: tw.tax.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.CreatePerson(ctx, office, isms.PersonInput{Name: "退職 五郎", Employment: isms.EmploymentRegular,
		ValidFrom: at("2020-04-01"), ValidTo: at("2026-03-31"), UnitID: tw.tax.ID}); err != nil {
		t.Fatal(err)
	}
	v1 := tw.policyVersion(t, "令和8年4月1日改定", "2026-04-01")
	for _, u := range []int64{ichiroUser, jiroUser, hanakoUser} {
		if _, err := tw.db.AcknowledgePolicy(ctx, tw.scope(t, u, "2026-11-25"), v1.ID); err != nil {
			t.Fatal(err)
		}
	}
	officeActor := isms.Actor{UserID: hanakoUser, Label: "soumu", Role: isms.RoleSecurityOffice, AllUnits: true, Today: day("2026-11-25")}

	type row struct {
		unit     string
		in, done int
		pending  string
	}
	rows := func(s isms.PolicyStatus) []row {
		var list []row
		for _, u := range s.Units {
			r := row{unit: u.UnitName, in: u.InService, done: u.Acknowledged}
			for _, p := range u.Pending {
				r.pending += p.Name + "(" + p.EmployeeNo + ");"
			}
			list = append(list, r)
		}
		return list
	}
	check := func(what string, got []row, want ...row) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %+v, want %+v", what, got, want)
			return
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: %+v, want %+v", what, got, want)
				return
			}
		}
	}

	s, err := tw.db.FindPolicyStatus(ctx, officeActor, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("office, first version", rows(s),
		row{"税務課", 3, 2, "会計 四郎(K001);"},
		row{"住民税係", 1, 0, "住民 三郎();"},
		row{"総務課", 1, 1, ""})
	if in, done := s.Totals(); in != 5 || done != 3 || s.Version.ID != v1.ID {
		t.Errorf("totals: %d of %d, version %d", done, in, s.Version.ID)
	}

	// The 管理者 of 税務課 sees 税務課 and its 係, not 総務課 where she works.
	manager := tw.scope(t, hanakoUser, "2026-11-25")
	s, err = tw.db.FindPolicyStatus(ctx, manager, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("管理者 of 税務課", rows(s), row{"税務課", 3, 2, "会計 四郎(K001);"}, row{"住民税係", 1, 0, "住民 三郎();"})
	if _, err := tw.db.FindPolicyStatus(ctx, tw.scope(t, ichiroUser, "2026-11-25"), v1.ID); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff reading the status: %v", err)
	}
	if _, err := tw.db.FindPolicyStatus(ctx, officeActor, v1.ID+100); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("status of no version: %v", err)
	}

	// A revision asks everyone again: its status starts at nobody, the old one's stays.
	v2 := tw.policyVersion(t, "令和8年10月1日改定", "2026-10-01")
	s, err = tw.db.FindPolicyStatus(ctx, officeActor, v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("office, revision", rows(s),
		row{"税務課", 3, 0, "税務 一郎();税務 二郎();会計 四郎(K001);"},
		row{"住民税係", 1, 0, "住民 三郎();"},
		row{"総務課", 1, 0, "総務 花子();"})
	if a, err := tw.db.FindAcknowledgement(ctx, tw.scope(t, ichiroUser, "2026-11-25")); err != nil || a.Version.ID != v2.ID || !a.Due() {
		t.Errorf("一郎 after the revision: %+v, %v", a, err)
	}
	if _, err := tw.db.AcknowledgePolicy(ctx, tw.scope(t, ichiroUser, "2026-11-25"), v1.ID); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("confirming the replaced version: %v", err)
	}
	if s, _ := tw.db.FindPolicyStatus(ctx, officeActor, v1.ID); len(s.Units) != 3 || s.Units[0].Acknowledged != 2 {
		t.Errorf("the replaced version's status changed: %+v", s.Units)
	}
}
