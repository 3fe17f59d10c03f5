package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

// smTown is the town of the social media tests, acting on 2026-11-25: in 税務課 sato (staff) and
// kato (its 管理者); in 住民生活課 nakamura (staff); the security office. raw is a plain connection
// to the same database, to try what the store never writes.
type smTown struct {
	*town
	raw                              *pgx.Conn
	sato, kato, nakamura             isms.Person
	satoA, katoA, nakamuraA, officeA isms.Actor
	satoUser, katoUser, nakamuraUser int64
}

const smToday = "2026-11-25"

func newSMTown(t *testing.T) *smTown {
	t.Helper()
	ctx := context.Background()
	url := pgtest.URL(t)
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	raw, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close(context.Background()) })
	tw := &smTown{town: &town{db: db}, raw: raw}
	tw.exec = tw.unit(t, "100", "町長部局", isms.UnitExecutive, 0)
	tw.dept = tw.unit(t, "110", "総務部", isms.UnitDepartment, tw.exec.ID)
	tw.tax = tw.unit(t, "111", "税務課", isms.UnitSection, tw.dept.ID)
	tw.life = tw.unit(t, "120", "住民生活課", isms.UnitSection, tw.exec.ID)
	tw.sato, tw.satoUser = tw.person(t, "sato", "佐藤 一郎", tw.tax)
	tw.kato, tw.katoUser = tw.person(t, "kato", "加藤 花子", tw.tax)
	tw.nakamura, tw.nakamuraUser = tw.person(t, "nakamura", "中村 四郎", tw.life)
	tw.assign(t, tw.kato, isms.RoleCodeISM, tw.tax.ID, "2020-04-01", nil)
	tw.satoA, tw.katoA, tw.nakamuraA = tw.scope(t, tw.satoUser, smToday), tw.scope(t, tw.katoUser, smToday), tw.scope(t, tw.nakamuraUser, smToday)
	u, err := db.CreateUser(ctx, office, isms.UserInput{LoginID: "soumu", Name: "総務 情報", Lang: "ja",
		DateStyle: "seireki", Role: isms.RoleSecurityOffice}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	tw.officeA = tw.scope(t, u.ID, smToday)
	return tw
}

// account is the form of an X account of 税務課 owned by owner, without its listing URL.
func (tw *smTown) account(owner isms.Person) isms.SocialAccountInput {
	return isms.SocialAccountInput{Platform: isms.PlatformX, AccountName: "@nanbu_zeimu", URL: "https://x.com/nanbu_zeimu",
		UnitID: tw.tax.ID, MFAEnabled: true, MFAMethod: "認証アプリ", OperatingProcedure: "課長の承認後に投稿する",
		PostingRules: "納期のお知らせのみ", TakeoverProcedure: "情報政策係へ連絡しパスワードを変更する",
		CheckIntervalMonths: 3, OwnerID: owner.ID, ProfileStatesUnit: true}
}

func (tw *smTown) create(t *testing.T, in isms.SocialAccountInput) isms.SocialAccount {
	t.Helper()
	a, err := tw.db.CreateSocialAccount(context.Background(), tw.satoA, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// activeOwners counts the open owner periods of an account, as stored.
func (tw *smTown) activeOwners(t *testing.T, id int64) int {
	t.Helper()
	var n int
	if err := tw.raw.QueryRow(context.Background(), `SELECT count(*) FROM social_account_owners
		WHERE account_id = $1 AND valid_to IS NULL`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// holdsSNSOwner reports whether the person holds the SNS_OWNER role for the unit on day.
func (tw *smTown) holdsSNSOwner(t *testing.T, p isms.Person, unit int64, on string) bool {
	t.Helper()
	list, err := tw.db.FindAssignments(context.Background(), isms.AssignmentFilter{Day: day(on), PersonID: p.ID,
		UnitID: unit, RoleCode: isms.RoleCodeSNSOwner})
	if err != nil {
		t.Fatal(err)
	}
	return len(list) == 1
}

// smTrail is the actions the audit trail holds for an account, oldest first.
func (tw *smTown) smTrail(t *testing.T, id int64) []string {
	t.Helper()
	events, _, err := tw.db.FindAuditEvents(context.Background(), tw.officeA, isms.AuditFilter{EntityType: "social_account", EntityID: idText(id)})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range slices.Backward(events) {
		if !slices.Contains(isms.AuditActions, e.Action) || !slices.Contains(isms.AuditEntityTypes, e.EntityType) {
			t.Errorf("trail event %s on %s is not listed for the viewer", e.Action, e.EntityType)
		}
		actions = append(actions, e.Action)
	}
	return actions
}

// An account always has exactly one owner: none is refused beside the field; the owner named
// starts the SNS_OWNER role of the unit; a change ends the current owner and starts the next at
// once, moves the role, and the database refuses a second open owner whatever writes it.
func TestSocialAccountOwner(t *testing.T) {
	tw := newSMTown(t)
	ctx := context.Background()

	in := tw.account(isms.Person{})
	if _, err := tw.db.CreateSocialAccount(ctx, tw.satoA, in); fieldErrors(err)["owner_id"] != "social_account.error.owner_required" {
		t.Fatalf("account without an owner: %v", err)
	}
	a := tw.create(t, tw.account(tw.sato))
	if a.Number != "M-00001" || a.Status != isms.SocialPreparing || a.Owner.Name != "佐藤 一郎" || tw.activeOwners(t, a.ID) != 1 {
		t.Fatalf("account as registered: %+v", a)
	}
	if !tw.holdsSNSOwner(t, tw.sato, tw.tax.ID, smToday) {
		t.Error("the owner named does not hold SNS_OWNER for 税務課")
	}

	// Staff of another unit do not find the account; its owner cannot be changed by them either.
	if _, err := tw.db.ChangeSocialAccountOwner(ctx, tw.nakamuraA, a.ID, isms.SocialOwnerInput{PersonID: tw.nakamura.ID,
		From: at(smToday), Version: a.Version}); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("owner changed from another unit: %v", err)
	}
	if _, err := tw.db.ChangeSocialAccountOwner(ctx, tw.satoA, a.ID, isms.SocialOwnerInput{PersonID: tw.sato.ID,
		From: at(smToday), Version: a.Version}); fieldErrors(err)["person_id"] != "social_account.error.owner_same" {
		t.Errorf("the same owner again: %v", err)
	}
	b, err := tw.db.ChangeSocialAccountOwner(ctx, tw.satoA, a.ID, isms.SocialOwnerInput{PersonID: tw.kato.ID,
		From: at(smToday), Version: a.Version})
	if err != nil {
		t.Fatal(err)
	}
	if b.Owner.Name != "加藤 花子" || tw.activeOwners(t, a.ID) != 1 {
		t.Errorf("after the change: owner %q, %d open periods", b.Owner.Name, tw.activeOwners(t, a.ID))
	}
	full, err := tw.db.FindSocialAccount(ctx, tw.satoA, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Owners) != 2 || full.Owners[0].To != nil || full.Owners[1].To == nil || full.Owners[1].Name != "佐藤 一郎" {
		t.Errorf("owner history: %+v", full.Owners)
	}
	if !tw.holdsSNSOwner(t, tw.kato, tw.tax.ID, smToday) {
		t.Error("the new owner does not hold SNS_OWNER")
	}
	if tw.holdsSNSOwner(t, tw.sato, tw.tax.ID, "2026-11-26") {
		t.Error("the former owner still holds SNS_OWNER after the change")
	}
	// The stale page's change is a conflict; nothing changes.
	if _, err := tw.db.ChangeSocialAccountOwner(ctx, tw.satoA, a.ID, isms.SocialOwnerInput{PersonID: tw.sato.ID,
		From: at(smToday), Version: a.Version}); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale change of owner: %v", err)
	}
	if _, err := tw.raw.Exec(ctx, `INSERT INTO social_account_owners (account_id, person_id, valid_from) VALUES ($1, $2, $3)`,
		a.ID, tw.nakamura.ID, day(smToday)); err == nil {
		t.Error("the database took a second open owner")
	}
	if got := tw.smTrail(t, a.ID); !slices.Equal(got, []string{"social_account.create", "social_account.owner"}) {
		t.Errorf("trail %v", got)
	}
}

// 公開 needs the approved opening and the listing on the town's site: refused beside the status
// field while the URL is missing, and the database's CHECK refuses it whatever writes. The
// opening is approved by the unit's 管理者 or the security office, never by staff nor by the person
// who asked for it.
func TestSocialAccountOpening(t *testing.T) {
	tw := newSMTown(t)
	ctx := context.Background()
	a := tw.create(t, tw.account(tw.sato))

	if _, err := tw.db.ChangeSocialAccountStatus(ctx, tw.satoA, a.ID, isms.SocialPublic, a.Version); fieldErrors(err)["status"] != "social_account.error.listing_required" {
		t.Fatalf("public without the listing: %v", err)
	}
	if _, err := tw.raw.Exec(ctx, `UPDATE social_accounts SET status = 'public' WHERE id = $1`, a.ID); err == nil {
		t.Fatal("the database took a public account without its listing URL")
	}

	a, err := tw.db.RequestSocialAccountOpening(ctx, tw.satoA, a.ID, a.Version)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.ApproveSocialAccountOpening(ctx, tw.satoA, a.ID, a.Version); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff approving their own opening: %v", err)
	}
	if _, err := tw.db.ApproveSocialAccountOpening(ctx, tw.nakamuraA, a.ID, a.Version); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("approval from another unit: %v", err)
	}
	if a, err = tw.db.ApproveSocialAccountOpening(ctx, tw.katoA, a.ID, a.Version); err != nil {
		t.Fatal(err)
	}
	if a.ApprovedOn == nil || !a.ApprovedOn.Equal(day(smToday)) || a.ApprovedByName != "加藤 花子" {
		t.Errorf("approval: %v %q", a.ApprovedOn, a.ApprovedByName)
	}
	// Approved, still without the listing: refused.
	if _, err := tw.db.ChangeSocialAccountStatus(ctx, tw.satoA, a.ID, isms.SocialPublic, a.Version); fieldErrors(err)["status"] != "social_account.error.listing_required" {
		t.Errorf("approved but not listed: %v", err)
	}
	in := tw.account(tw.sato)
	in.OfficialListingURL, in.Version = "https://www.town.nanbu.example/sns.html", a.Version
	if a, err = tw.db.UpdateSocialAccount(ctx, tw.satoA, a.ID, in); err != nil {
		t.Fatal(err)
	}
	if a, err = tw.db.ChangeSocialAccountStatus(ctx, tw.satoA, a.ID, isms.SocialPublic, a.Version); err != nil {
		t.Fatal(err)
	}
	if a.Status != isms.SocialPublic || a.OpenedOn == nil || !a.OpenedOn.Equal(day(smToday)) {
		t.Errorf("public: %s opened %v", a.Status, a.OpenedOn)
	}
	// A public account keeps its listing.
	in.OfficialListingURL, in.Version = "", a.Version
	if _, err := tw.db.UpdateSocialAccount(ctx, tw.satoA, a.ID, in); fieldErrors(err)["official_listing_url"] != "social_account.error.listing_public" {
		t.Errorf("listing removed from a public account: %v", err)
	}

	// A 管理者 who asks for an opening does not approve it; the security office does.
	in2 := tw.account(tw.kato)
	in2.AccountName = "@nanbu_zeimu_line"
	b, err := tw.db.CreateSocialAccount(ctx, tw.katoA, in2)
	if err != nil {
		t.Fatal(err)
	}
	if b, err = tw.db.RequestSocialAccountOpening(ctx, tw.katoA, b.ID, b.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.ApproveSocialAccountOpening(ctx, tw.katoA, b.ID, b.Version); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("the requester approving: %v", err)
	}
	if _, err := tw.db.ApproveSocialAccountOpening(ctx, tw.officeA, b.ID, b.Version); err != nil {
		t.Errorf("the security office approving: %v", err)
	}
	if got := tw.smTrail(t, a.ID); !slices.Equal(got, []string{"social_account.create", "social_account.request_opening",
		"social_account.approve_opening", "social_account.update", "social_account.status"}) {
		t.Errorf("trail %v", got)
	}
}

// Scope: staff of another unit neither find nor list the account (404); the unit's staff and the
// security office do. A stale edit is a conflict and leaves the account as it was.
func TestSocialAccountScopeAndConflict(t *testing.T) {
	tw := newSMTown(t)
	ctx := context.Background()
	a := tw.create(t, tw.account(tw.sato))

	if _, err := tw.db.FindSocialAccount(ctx, tw.nakamuraA, a.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's staff reading: %v", err)
	}
	for _, c := range []struct {
		who   string
		actor isms.Actor
		want  int
	}{{"another unit's staff", tw.nakamuraA, 0}, {"the unit's staff", tw.satoA, 1}, {"the security office", tw.officeA, 1}} {
		list, _, err := tw.db.FindSocialAccounts(ctx, c.actor, isms.SocialAccountFilter{})
		if err != nil || len(list) != c.want {
			t.Errorf("%s list %d accounts (%v), want %d", c.who, len(list), err, c.want)
		}
	}
	in := tw.account(tw.sato)
	in.AccountName, in.Version = "@renamed", a.Version
	if _, err := tw.db.UpdateSocialAccount(ctx, tw.nakamuraA, a.ID, in); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's staff editing: %v", err)
	}
	if _, err := tw.db.UpdateSocialAccount(ctx, tw.satoA, a.ID, in); err != nil {
		t.Fatal(err)
	}
	in.AccountName = "@stale"
	if _, err := tw.db.UpdateSocialAccount(ctx, tw.katoA, a.ID, in); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale edit: %v", err)
	}
	if got, _ := tw.db.FindSocialAccount(ctx, tw.satoA, a.ID); got.AccountName != "@renamed" {
		t.Errorf("after the stale edit the name is %q", got.AccountName)
	}
	// The 要対応 filter: no MFA makes it one.
	in = tw.account(tw.sato)
	in.AccountName, in.MFAEnabled = "@no_mfa", false
	tw.create(t, in)
	list, _, err := tw.db.FindSocialAccounts(ctx, tw.satoA, isms.SocialAccountFilter{Attention: true})
	if err != nil || len(list) != 1 || list[0].AccountName != "@no_mfa" {
		t.Errorf("要対応: %v %v", list, err)
	}
}

// Checks are recorded by the owner, the 管理者 or the security office, for accounts in use; a
// problem found needs a note; the check moves the next due day. Tasks: the check falls due for
// the owner and the 管理者 two weeks ahead; an opening waits for the 管理者, not for the person
// who asked; another unit's tasks are not found.
func TestSocialAccountChecksAndTasks(t *testing.T) {
	tw := newSMTown(t)
	ctx := context.Background()
	in := tw.account(tw.sato)
	in.OfficialListingURL = "https://www.town.nanbu.example/sns.html"
	a := tw.create(t, in)
	a, _ = tw.db.RequestSocialAccountOpening(ctx, tw.satoA, a.ID, a.Version)
	a, _ = tw.db.ApproveSocialAccountOpening(ctx, tw.katoA, a.ID, a.Version)
	a, err := tw.db.ChangeSocialAccountStatus(ctx, tw.satoA, a.ID, isms.SocialPublic, a.Version)
	if err != nil {
		t.Fatal(err)
	}
	if due := a.CheckDue(); due == nil || !due.Equal(day("2027-02-25")) {
		t.Fatalf("first check due %v", due)
	}

	kinds := func(list []isms.Task) []string {
		var out []string
		for _, k := range list {
			out = append(out, k.Kind)
		}
		slices.Sort(out)
		return out
	}
	tasks := func(actor isms.Actor, unit int64) []string {
		t.Helper()
		list, err := tw.db.FindSocialAccountTasks(ctx, actor, unit)
		if err != nil {
			t.Fatal(err)
		}
		return kinds(list)
	}
	if got := tasks(tw.satoA, 0); len(got) != 0 {
		t.Errorf("three months ahead, tasks %v", got)
	}
	satoLater, katoLater := tw.scope(t, tw.satoUser, "2027-02-15"), tw.scope(t, tw.katoUser, "2027-02-15")
	if got := tasks(satoLater, 0); !slices.Equal(got, []string{"social_account_check"}) {
		t.Errorf("owner's tasks ten days before: %v", got)
	}
	if got := tasks(katoLater, 0); !slices.Equal(got, []string{"social_account_check"}) {
		t.Errorf("manager's tasks ten days before: %v", got)
	}
	if _, err := tw.db.FindSocialAccountTasks(ctx, tw.nakamuraA, tw.tax.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's tasks: %v", err)
	}

	// A second account waits for approval: the 管理者's task, not the requester's.
	in2 := tw.account(tw.sato)
	in2.AccountName = "@nanbu_zeimu2"
	b := tw.create(t, in2)
	if _, err := tw.db.RequestSocialAccountOpening(ctx, tw.satoA, b.ID, b.Version); err != nil {
		t.Fatal(err)
	}
	if got := tasks(tw.katoA, 0); !slices.Equal(got, []string{"social_account_approval"}) {
		t.Errorf("manager's tasks with an opening asked for: %v", got)
	}
	if got := tasks(tw.satoA, 0); len(got) != 0 {
		t.Errorf("requester's tasks: %v", got)
	}
	if got := tasks(tw.katoA, tw.tax.ID); !slices.Equal(got, []string{"social_account_approval"}) {
		t.Errorf("unit's tasks: %v", got)
	}
	attention, err := tw.db.FindSocialAccountAttention(ctx, tw.officeA)
	if err != nil || !slices.Equal(kinds(attention), []string{"social_account_approval"}) {
		t.Errorf("attention: %v %v", kinds(attention), err)
	}

	// Checks.
	check := isms.SocialCheckInput{CheckedOn: at(smToday), Items: map[string]bool{"listing_live": true, "profile_shows_unit": true,
		"mfa_on": true, "no_confidential": true}}
	if _, err := tw.db.AddSocialAccountCheck(ctx, tw.nakamuraA, a.ID, check); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("check from another unit: %v", err)
	}
	if _, err := tw.db.AddSocialAccountCheck(ctx, tw.satoA, a.ID, check); fieldErrors(err)["note"] != "social_account.error.check_note" {
		t.Errorf("a problem without a note: %v", err)
	}
	check.Note = "不明なセッションを切断し、パスワードを変更した"
	if a, err = tw.db.AddSocialAccountCheck(ctx, tw.satoA, a.ID, check); err != nil {
		t.Fatal(err)
	}
	if a.LastCheckedOn == nil || !a.LastCheckedOn.Equal(day(smToday)) {
		t.Errorf("last checked %v", a.LastCheckedOn)
	}
	full, _ := tw.db.FindSocialAccount(ctx, tw.satoA, a.ID)
	if len(full.Checks) != 1 || full.Checks[0].Result != isms.SocialCheckIssues {
		t.Errorf("checks: %+v", full.Checks)
	}
	if got := tw.smTrail(t, a.ID); got[len(got)-1] != "social_account.check" {
		t.Errorf("trail %v", got)
	}
}
