package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The overview of the three registers lists what needs action in each, within the reader's
// scope: the security office sees 税務課's contract with its clauses unchecked and its account
// without multi-factor authentication; staff of another unit see neither.
func TestOutsourcingAttention(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	life := e.orgUnit(t, "120", "住民課", isms.UnitSection, 0)
	sato := e.orgPerson(t, "佐藤 一郎", "0123-45-1101", tax.ID)
	from, to := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	if _, err := e.db.CreateContract(ctx, system, isms.ContractInput{ContractorName: "みどり情報サービス", UnitID: tax.ID,
		Title: "税務システム保守", Scope: "税務システムの保守", PersonalData: isms.PersonalDataMyNumber,
		PeriodFrom: &from, PeriodTo: &to, NextCheckDue: &to}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CreateSocialAccount(ctx, system, isms.SocialAccountInput{Platform: isms.PlatformX,
		AccountName: "@town_zeimu", UnitID: tax.ID, OperatingProcedure: "課長の承認後に投稿する", PostingRules: "納期のお知らせのみ",
		TakeoverProcedure: "情報政策係へ連絡する", CheckIntervalMonths: 3, OwnerID: sato.ID, ProfileStatesUnit: true}); err != nil {
		t.Fatal(err)
	}
	office, _ := e.loginAs(t, "office", isms.RoleSecurityOffice, 0)
	_, body := get(t, office, e.srv.URL+"/outsourcing")
	for section, want := range map[string]string{"contract": "K-00001", "social_account": "@town_zeimu",
		"external_service": "対応が必要なものはありません"} {
		if got := between(body, `data-testid="attention-`+section+`"`, `</section>`); !strings.Contains(got, want) {
			t.Errorf("the office's %s section lacks %q: %s", section, want, got)
		}
	}
	staff, _ := e.loginAs(t, "life", isms.RoleStaff, life.ID)
	_, body = get(t, staff, e.srv.URL+"/outsourcing")
	if strings.Contains(body, "K-00001") || strings.Contains(body, "@town_zeimu") {
		t.Errorf("住民課 staff see 税務課's records: %s", between(body, `<main`, `</main>`))
	}
}
