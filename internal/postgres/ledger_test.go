package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The 管理者 confirms the ledger once a year, with the counts of that moment: the 課's assets and
// its 係's, without the disposed ones, and how many are past their review date.
func TestLedgerConfirmation(t *testing.T) {
	ctx := context.Background()
	tw := newReqTown(t)
	tw.asset(t, "課税台帳", tw.tax.ID, "LGC3B", "2027-03-31")
	tw.asset(t, "住民税申告書", tw.taxTeam.ID, "LGC3C", "2026-03-31") // overdue
	gone := tw.asset(t, "旧端末", tw.tax.ID, "LGC1", "2026-03-31")
	tw.asset(t, "総務課の文書", tw.general.ID, "LGC2", "2026-03-31")
	if _, err := tw.db.RecordDisposal(ctx, tw.staff, gone, isms.AssetRequestInput{Detail: "更新"}, disposal(isms.DisposalInitialise)); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))

	if _, err := tw.db.ConfirmLedger(ctx, tw.staff, tw.tax.ID, now, ""); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff confirming: %v", err)
	}
	if _, err := tw.db.ConfirmLedger(ctx, tw.otherManager, tw.tax.ID, now, ""); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("管理者 of another unit confirming: %v", err)
	}
	if c, err := tw.db.FindLedgerConfirmation(ctx, tw.staff, tw.tax.ID, 2026); c != nil || err != nil {
		t.Errorf("before: %+v, %v", c, err)
	}
	c, err := tw.db.ConfirmLedger(ctx, tw.manager, tw.tax.ID, now, "  見直し期限切れ1件は12月中に見直す  ")
	if err != nil {
		t.Fatal(err)
	}
	if c.FiscalYear != 2026 || c.AssetCount != 2 || c.OverdueCount != 1 || c.ConfirmedByName != "加藤 花子" || c.Note != "見直し期限切れ1件は12月中に見直す" {
		t.Errorf("confirmation: %+v", c)
	}
	if _, err := tw.db.ConfirmLedger(ctx, tw.manager2, tw.tax.ID, now.Add(24*time.Hour), ""); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("confirming twice in a year: %v", err)
	}
	// The next fiscal year starts on 1 April.
	if c, err := tw.db.ConfirmLedger(ctx, tw.manager2, tw.tax.ID, time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC), ""); err != nil || c.FiscalYear != 2027 {
		t.Errorf("next year: %+v, %v", c, err)
	}
	if got, err := tw.db.FindLedgerConfirmation(ctx, tw.staff, tw.tax.ID, 2026); err != nil || got == nil || got.AssetCount != 2 {
		t.Errorf("found: %+v, %v", got, err)
	}
	if _, err := tw.db.FindLedgerConfirmation(ctx, tw.otherManager, tw.tax.ID, 2026); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("other unit finding: %v", err)
	}
	if got := tw.auditOf(t, "unit", tw.tax.ID); len(got) == 0 || got[len(got)-1] != "ledger.confirm" {
		t.Errorf("unit audit: %v", got)
	}

	// The overview: every in-scope 課 for the office, the managed ones for a 管理者, nothing for staff.
	list, err := tw.db.FindLedgerStatuses(ctx, tw.office, 2026)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range list {
		n := s.Unit.Name
		if s.Confirmation != nil {
			n += "✓" + s.Confirmation.ConfirmedByName
		}
		names = append(names, n)
	}
	if want := []string{"税務課✓加藤 花子", "総務課", "住民生活課"}; !equalStrings(names, want) {
		t.Errorf("overview: %q, want %q", names, want)
	}
	if list, _ := tw.db.FindLedgerStatuses(ctx, tw.otherManager, 2026); len(list) != 1 || list[0].Unit.ID != tw.life.ID || list[0].Confirmation != nil {
		t.Errorf("overview of the 管理者 of 住民生活課: %+v", list)
	}
	if _, err := tw.db.FindLedgerStatuses(ctx, tw.staff, 2026); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff overview: %v", err)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
