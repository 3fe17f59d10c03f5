package isms

import (
	"slices"
	"testing"
	"time"
)

func socialDay(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

// The next check falls due the interval after the last check, else after the opening, else after
// the registration; an account not in use is not checked.
func TestSocialAccountCheckDue(t *testing.T) {
	a := SocialAccount{Status: SocialPublic, CheckIntervalMonths: 3, CreatedOn: *socialDay("2026-01-10")}
	for _, c := range []struct {
		what              string
		opened, lastCheck *time.Time
		status            SocialAccountStatus
		want              *time.Time
	}{
		{"never opened nor checked", nil, nil, SocialPublic, socialDay("2026-04-10")},
		{"opened", socialDay("2026-02-01"), nil, SocialPublic, socialDay("2026-05-01")},
		{"checked", socialDay("2026-02-01"), socialDay("2026-06-15"), SocialSuspended, socialDay("2026-09-15")},
		{"in preparation", nil, nil, SocialPreparing, nil},
		{"closed", socialDay("2026-02-01"), nil, SocialClosed, nil},
	} {
		a.OpenedOn, a.LastCheckedOn, a.Status = c.opened, c.lastCheck, c.status
		got := a.CheckDue()
		if (got == nil) != (c.want == nil) || got != nil && !got.Equal(*c.want) {
			t.Errorf("%s: due %v, want %v", c.what, got, c.want)
		}
	}
}

// 要対応: an overdue check, no MFA, a public profile without the unit, missing procedures, an
// opening waiting; nothing for a closed account.
func TestSocialAccountIssues(t *testing.T) {
	today := time.Date(2026, 11, 25, 10, 0, 0, 0, japan)
	ok := SocialAccount{Status: SocialPublic, CheckIntervalMonths: 3, OpenedOn: socialDay("2026-10-01"), MFAEnabled: true,
		ProfileStatesUnit: true, OperatingProcedure: "手順", PostingRules: "ルール", TakeoverProcedure: "対応"}
	if got := ok.Issues(today); len(got) != 0 {
		t.Errorf("an account in order: %v", got)
	}
	bad := ok
	bad.OpenedOn, bad.MFAEnabled, bad.ProfileStatesUnit, bad.PostingRules = socialDay("2026-08-01"), false, false, ""
	if got := bad.Issues(today); !slices.Equal(got, []string{"check_overdue", "no_mfa", "profile", "procedures"}) {
		t.Errorf("an account out of order: %v", got)
	}
	bad.Status = SocialClosed
	if got := bad.Issues(today); got != nil {
		t.Errorf("a closed account: %v", got)
	}
	waiting := ok
	waiting.Status, waiting.RequestedOn = SocialPreparing, socialDay("2026-11-20")
	if got := waiting.Issues(today); !slices.Equal(got, []string{"approval"}) {
		t.Errorf("an opening asked for: %v", got)
	}
}

// 公開 needs the listing URL and the approval, said beside the status field; 廃止 is final; a
// public account's form keeps the listing; an account is registered with its owner.
func TestSocialAccountRules(t *testing.T) {
	a := SocialAccount{Status: SocialPreparing}
	if got := a.CheckStatusChange(SocialPublic)["status"]; got != "social_account.error.listing_required" {
		t.Errorf("public without the listing: %q", got)
	}
	a.OfficialListingURL = "https://www.town.example/sns"
	if got := a.CheckStatusChange(SocialPublic)["status"]; got != "social_account.error.not_approved" {
		t.Errorf("public without the approval: %q", got)
	}
	a.ApprovedOn = socialDay("2026-11-20")
	if fe := a.CheckStatusChange(SocialPublic); len(fe) != 0 {
		t.Errorf("public, listed and approved: %v", fe)
	}
	a.Status = SocialClosed
	if got := a.CheckStatusChange(SocialPublic)["status"]; got != "social_account.error.closed" {
		t.Errorf("reopening a closed account: %q", got)
	}

	in := SocialAccountInput{Platform: PlatformOther, AccountName: "@town", UnitID: 1, CheckIntervalMonths: 3, MFAEnabled: true}
	in.Normalize()
	fe := in.Validate(true, SocialPreparing)
	for field, key := range map[string]string{"owner_id": "social_account.error.owner_required",
		"platform_name": "social_account.error.platform_name", "mfa_method": "social_account.error.mfa_method"} {
		if fe[field] != key {
			t.Errorf("%s: %q, want %q", field, fe[field], key)
		}
	}
	in.OwnerID, in.PlatformName, in.MFAMethod, in.URL = 7, "Threads", "SMS", "javascript:alert(1)"
	if fe := in.Validate(true, SocialPreparing); len(fe) != 1 || fe["url"] != "social_account.error.url" {
		t.Errorf("a script URL: %v", fe)
	}
	in.URL = ""
	if fe := in.Validate(false, SocialPublic); fe["official_listing_url"] != "social_account.error.listing_public" {
		t.Errorf("public account without its listing: %v", fe)
	}
}

// A check that could not confirm everything is 要対応 and needs a note.
func TestSocialCheckInput(t *testing.T) {
	today := time.Date(2026, 11, 25, 10, 0, 0, 0, japan)
	in := SocialCheckInput{CheckedOn: socialDay("2026-11-25"), Items: map[string]bool{"listing_live": true, "profile_shows_unit": true,
		"mfa_on": true, "no_confidential": true, "no_unknown_sessions": true}}
	if c := in.Check(); c.Result != SocialCheckOK || len(in.Validate(today)) != 0 {
		t.Errorf("all confirmed: %v %v", c.Result, in.Validate(today))
	}
	in.Items["mfa_on"] = false
	if c := in.Check(); c.Result != SocialCheckIssues || in.Validate(today)["note"] != "social_account.error.check_note" {
		t.Errorf("MFA off without a note: %v %v", c.Result, in.Validate(today))
	}
	in.CheckedOn = socialDay("2026-11-26")
	if in.Validate(today)["checked_on"] != "social_account.error.future" {
		t.Error("a check tomorrow was accepted")
	}
}
