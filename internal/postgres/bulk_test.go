package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

// assetSchema lists the register's indexes and constraints, to compare before and after a load.
func assetSchema(t *testing.T, db *postgres.DB) []string {
	t.Helper()
	rows, err := db.Pool().Query(context.Background(), `
		SELECT indexdef FROM pg_indexes WHERE tablename = 'assets'
		UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'assets'::regclass
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// generated returns a generator of n electronic assets of unit; the asset at position bad (if
// any) names a level that does not exist, and at position -bad the generator fails.
func generated(unit int64, n, bad int) func(map[string]int64, map[postgres.BulkContract]int64) func() (isms.Asset, bool, error) {
	return func(systems map[string]int64, _ map[postgres.BulkContract]int64) func() (isms.Asset, bool, error) {
		i := 0
		day := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
		return func() (isms.Asset, bool, error) {
			if i >= n {
				return isms.Asset{}, false, nil
			}
			i++
			a := isms.Asset{Name: fmt.Sprintf("住民基本台帳の写し その%d", i), Type: "INFO_ELECTRONIC", Description: "試験用",
				UnitID: unit, Form: isms.FormElectronic, Zone: isms.ZoneLGWAN, SystemID: systems["SYS-T"],
				C: "LGC2", I: "LGI1", A: "LGA1", ClassifiedAt: day, ReviewDue: day.AddDate(1, 0, -1), Status: isms.AssetInUse}
			if i == bad {
				a.C = "LGC9"
			}
			if i == -bad {
				return isms.Asset{}, false, errors.New("the generator broke")
			}
			return a, true, nil
		}
	}
}

// A large load drops the register's secondary indexes and foreign keys, copies, and makes them
// again, exactly as they were; the rows are searchable through the rebuilt index; the whole load
// is one audit event. A load that fails half-way leaves the register, its indexes and keys as
// they were. Only the command line (the system actor) may load.
func TestBulkLoadRegisterRebuildsIndexesAndKeys(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	system := isms.SystemActor("test")
	from := time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)
	unit, err := db.CreateUnit(ctx, system, isms.UnitInput{Code: "140", Name: "住民課", Type: isms.UnitSection, InScope: true, ValidFrom: &from})
	if err != nil {
		t.Fatal(err)
	}
	schema := assetSchema(t, db)
	systems := []isms.SystemInput{{Code: "SYS-T", Name: "住民記録システム", UnitID: unit.ID, Zone: isms.ZoneLGWAN, Hosting: isms.HostingOnPremises}}

	res, err := db.BulkLoadRegister(ctx, system, postgres.BulkLoad{Systems: systems, Assets: generated(unit.ID, 300, 0),
		Summary: func() any { return map[string]int{"assets": 300} }, RebuildFrom: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Assets != 300 || res.Systems != 1 || res.IndexesRebuilt < 5 {
		t.Errorf("result %+v", res)
	}
	if got := assetSchema(t, db); !slices.Equal(got, schema) {
		t.Errorf("schema after the load:\n%v\nbefore:\n%v", got, schema)
	}
	page, total, _, _, err := db.FindAssets(ctx, system, isms.AssetFilter{Query: "台帳の写し その29", Limit: 50})
	if err != nil || total != 11 || len(page) != 11 || page[0].SystemName != "住民記録システム" { // 29 and 290–299
		t.Errorf("search found %d (%d), %v", total, len(page), err)
	}
	events, _, err := db.FindAuditEvents(ctx, system, isms.AuditFilter{Action: "seed.bulk"})
	var recorded map[string]int
	if err != nil || len(events) != 1 || json.Unmarshal(events[0].After, &recorded) != nil || recorded["assets"] != 300 {
		t.Errorf("audit events %+v, %v", events, err)
	}

	// Half-way through, a row names an unknown level, or the generator fails (before and after
	// the indexes were dropped): nothing of the load remains.
	for _, bad := range []int{250, -250, -50} {
		_, err = db.BulkLoadRegister(ctx, system, postgres.BulkLoad{Systems: systems, Assets: generated(unit.ID, 300, bad), RebuildFrom: 100})
		if err == nil {
			t.Fatalf("a load broken at %d went through", bad)
		}
		if _, total, _, _, _ := db.FindAssets(ctx, system, isms.AssetFilter{Limit: 1}); total != 300 {
			t.Errorf("%d assets after the load broken at %d", total, bad)
		}
		if got := assetSchema(t, db); !slices.Equal(got, schema) {
			t.Errorf("schema after the load broken at %d: %v", bad, got)
		}
	}
	if events, _, _ := db.FindAuditEvents(ctx, system, isms.AuditFilter{Action: "seed.bulk"}); len(events) != 1 {
		t.Errorf("%d seed.bulk events", len(events))
	}

	office := isms.Actor{UserID: 1, Label: "office", Role: isms.RoleSecurityOffice, AllUnits: true}
	if _, err := db.BulkLoadRegister(ctx, office, postgres.BulkLoad{Assets: generated(unit.ID, 1, 0)}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("a signed-in person's load: %v", err)
	}
}
