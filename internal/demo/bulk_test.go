package demo_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/demo"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

// bulkDay is the day of the test loads: in 令和8年度, whose reviews run to 2027-03-31.
var bulkDay = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// allAssets reads the whole register through the store, page by page, as the security office sees it.
func allAssets(t *testing.T, db *postgres.DB) []isms.Asset {
	t.Helper()
	var all []isms.Asset
	f := isms.AssetFilter{Limit: 200}
	for {
		page, _, _, next, err := db.FindAssets(context.Background(), office, f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if next == nil {
			return all
		}
		f.After = next
	}
}

// A bulk load of 2,000 assets into an empty database loads the demo town first, then writes a
// register with a town's shares: mostly information in electronic form and on paper, 特定個人情報
// at 3B in the マイナンバー利用事務系 of the tax, resident and welfare units, most electronic
// assets in the LGWAN接続系. Every asset passes the rules as a save would, except the intended ~3%
// flagged 要確認 for a missing backup, and the audit trail gains ONE event for the whole load.
func TestBulkLoadsARealisticRegister(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	const n = 2000
	before := snapshot(t, db, bulkDay)
	s, err := demo.Bulk(ctx, db, demo.BulkOptions{Assets: n, Today: bulkDay})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d assets, %d systems, %d units in %v; flagged %d; types %v; zones %v", s.Assets, s.Systems, s.Units,
		s.Took.Round(time.Millisecond), s.Flagged, s.ByType, s.ByZone)
	if !s.DemoLoaded || s.Assets != n || s.Systems < 30 || s.Units < 35 {
		t.Errorf("summary %+v", s)
	}
	after := snapshot(t, db, bulkDay)

	assets := allAssets(t, db)
	if len(assets) != n {
		t.Fatalf("%d assets in the register, want %d", len(assets), n)
	}
	_, total, more, _, err := db.FindAssets(ctx, office, isms.AssetFilter{Limit: 1})
	if err != nil || total != n || more {
		t.Errorf("the list counts %d (more %v), %v", total, more, err)
	}

	// The rules as a save applies them.
	scheme, err := db.FindActiveScheme(ctx)
	if err != nil {
		t.Fatal(err)
	}
	levels, err := db.FindLevels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	types, err := db.FindAssetTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rc := isms.RuleContext{Levels: levels, Types: map[string]isms.AssetType{}, Scheme: scheme}
	for _, ty := range types {
		rc.Types[ty.Code] = ty
	}
	units, err := db.FindUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	unitCode := map[int64]string{}
	for _, u := range units {
		unitCode[u.ID] = u.Code
	}

	byType, byZone, byStatus := map[string]int{}, map[isms.Zone]int{}, map[isms.AssetStatus]int{}
	months := map[time.Month]bool{}
	myNumberUnits := map[string]int{}
	flagged, myNumber, electronic := 0, 0, 0
	fyStart, fyEnd := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	for _, a := range assets {
		byType[a.Type]++
		byStatus[a.Status]++
		if rc.Types[a.Type].Electronic {
			electronic++
			byZone[a.Zone]++
		}
		fs := isms.CheckAsset(a.Input(), rc)
		if fs.Blocking() {
			t.Errorf("%s %s breaks the rules: %v", a.Number, a.Name, fs.Errors())
		}
		if got, want := slices.Sorted(slices.Values(a.Warnings)), slices.Sorted(slices.Values(fs.Flags())); !slices.Equal(got, want) {
			t.Errorf("%s carries warnings %v, the rules find %v", a.Number, got, want)
		}
		if len(a.Warnings) > 0 {
			flagged++
		}
		if a.ContainsMyNumber {
			myNumber++
			myNumberUnits[unitCode[a.UnitID][:min(2, len(unitCode[a.UnitID]))]]++
			if a.Zone != isms.ZoneMyNumber || a.C != "LGC3B" {
				t.Errorf("%s holds 特定個人情報 in %q at %s", a.Number, a.Zone, a.C)
			}
		}
		if levels[a.C].SchemeCode != scheme.Code || a.Reclassify {
			t.Errorf("%s classified %s outside the active scheme", a.Number, a.C)
		}
		if a.ReviewDue.Before(fyStart) || a.ReviewDue.After(fyEnd) || a.ClassifiedAt.After(isms.Day(bulkDay)) {
			t.Errorf("%s classified %v, review %v", a.Number, a.ClassifiedAt, a.ReviewDue)
		}
		months[a.ReviewDue.Month()] = true
		if a.Name == "" || a.Description == "" || a.Location == "" {
			t.Errorf("incomplete asset %+v", a)
		}
	}
	t.Logf("types %v; zones %v; status %v; 特定個人情報 %d by unit %v", byType, byZone, byStatus, myNumber, myNumberUnits)

	// Electronic data and paper documents are the bulk of the register.
	ranked := slices.SortedFunc(maps.Keys(byType), func(a, b string) int { return byType[b] - byType[a] })
	if len(ranked) < 10 || !(ranked[0] == "INFO_ELECTRONIC" && ranked[1] == "INFO_PAPER") ||
		byType["INFO_ELECTRONIC"]+byType["INFO_PAPER"] < n*6/10 {
		t.Errorf("type shares %v", byType)
	}
	// Flagged: about 3%, as intended.
	if flagged != s.Flagged || flagged < n*2/100 || flagged > n*4/100 {
		t.Errorf("%d flagged (summary %d), want about %d", flagged, s.Flagged, n*3/100)
	}
	// 特定個人情報: a good share, held by 税務課 (13xx), 住民生活課 (14xx) and 健康福祉課 (15xx) above all.
	if myNumber < n/10 || myNumberUnits["13"]+myNumberUnits["14"]+myNumberUnits["15"] < myNumber*3/4 {
		t.Errorf("特定個人情報 in %d assets, by unit %v", myNumber, myNumberUnits)
	}
	// Most electronic assets in the LGWAN接続系, some in the インターネット接続系.
	if byZone[isms.ZoneLGWAN] < electronic*4/10 || byZone[isms.ZoneInternet] < electronic/50 || byZone[isms.ZoneMyNumber] < electronic/10 {
		t.Errorf("zones of %d electronic assets: %v", electronic, byZone)
	}
	if byStatus[isms.AssetStored] < n/50 || byStatus[isms.AssetDisposed] < n/100 || byStatus[isms.AssetInUse] < n*8/10 {
		t.Errorf("statuses %v", byStatus)
	}
	if len(months) < 12 {
		t.Errorf("review dates fall in %d months of the fiscal year, want all 12", len(months))
	}

	// Searching for a town's everyday words finds a realistic share.
	for _, q := range []struct {
		query    string
		min, max int // percent of the register
	}{{"住民", 5, 50}, {"台帳", 5, 40}, {"申請書", 2, 30}, {"住民基本台帳", 1, 15}, {"固定資産税", 1, 15}} {
		_, found, _, _, err := db.FindAssets(ctx, office, isms.AssetFilter{Query: q.query, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("search %s: %d (%.1f%%)", q.query, found, 100*float64(found)/n)
		if found*100 < q.min*n || found*100 > q.max*n {
			t.Errorf("search %s finds %d of %d", q.query, found, n)
		}
	}

	// The systems, some of the マイナンバー利用事務系 with two factors.
	systems, _, _, err := db.FindSystems(ctx, office, isms.SystemFilter{Zone: isms.ZoneMyNumber, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(systems) < 10 {
		t.Errorf("%d マイナンバー利用事務系 systems", len(systems))
	}
	for _, sys := range systems {
		if !sys.MFAEnabled {
			t.Errorf("%s without MFA", sys.Name)
		}
	}

	// One audit event for the load, with the counts; the demo town's own events besides.
	events, _, err := db.FindAuditEvents(ctx, office, isms.AuditFilter{Action: "seed.bulk"})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Fatalf("%d seed.bulk events", len(events))
	}
	var recorded demo.BulkSummary
	if err := json.Unmarshal(events[0].After, &recorded); err != nil || recorded.Assets != n || recorded.Flagged != flagged ||
		recorded.ByType["INFO_PAPER"] != byType["INFO_PAPER"] {
		t.Errorf("recorded %s (%v)", events[0].After, err)
	}
	for _, entity := range []string{"asset", "system"} {
		if events, _, err := db.FindAuditEvents(ctx, office, isms.AuditFilter{EntityType: entity}); err != nil || len(events) != 0 {
			t.Errorf("%d %s events (%v), want none", len(events), entity, err)
		}
	}
	// The demo town's training (its plan, the basic policy in the library and the version staff
	// confirm, the session and unit rosters) has its own events.
	var training int64
	for _, entity := range []string{"training_plan", "policy_document", "policy_version", "training_session"} {
		events, _, err := db.FindAuditEvents(ctx, office, isms.AuditFilter{EntityType: entity, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		training += int64(len(events))
	}
	// The people and roles of the other registers come without events of their own, like the assets.
	_, bulkPeople, _, err := db.FindPeople(ctx, office, isms.PersonFilter{Query: "B0", Day: bulkDay, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	demoMade := after.units + after.people - bulkPeople + after.assignments - s.Registers.Assignments
	if want := before.events + int64(demoMade) + training + 1; after.events != want {
		t.Errorf("%d audit events, want the demo town's and one (%d)", after.events, want)
	}
	if recorded.Registers != s.Registers {
		t.Errorf("recorded registers %+v, summary %+v", recorded.Registers, s.Registers)
	}

	// The other registers, in proportion to the load (their minimums at this size).
	r := s.Registers
	t.Logf("registers %+v", r)
	if r.Kept || r.People < 60 || r.Accounts < r.People/2 || r.Attendances < r.People/2 || r.Sessions < 5 ||
		r.Incidents != 30 || r.Services != 6 || r.Requests != 6 || r.Sheets < 20 || r.SheetsSubmitted < r.Sheets/2 ||
		r.SheetsSubmitted == r.Sheets || r.Answers < r.Sheets*5 || r.Findings != 9 || r.Actions != 9 || r.LedgerConfirmations < 5 {
		t.Errorf("registers %+v", r)
	}
	// Every open unit of the scope has someone posted to it.
	var empty []string
	for _, u := range units {
		if !u.InScope || !u.Contains(isms.Day(bulkDay)) {
			continue
		}
		if members, err := db.FindUnitMembers(ctx, u.ID, bulkDay); err != nil {
			t.Fatal(err)
		} else if len(members) == 0 {
			empty = append(empty, u.Code)
		}
	}
	if len(empty) > 0 {
		t.Errorf("units without people: %v", empty)
	}
	// The year's training: about three in four of what is due is done, read as the dashboards do.
	status, err := db.FindTrainingStatus(ctx, office, isms.FiscalYearOf(isms.Day(bulkDay)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if total := status.Total(); total.Required == 0 || total.Completed*100 < total.Required*55 || total.Completed*100 > total.Required*90 {
		t.Errorf("training: %d of %d completed", total.Completed, total.Required)
	}

	// A second load adds to the register and keeps the systems.
	again, err := demo.Bulk(ctx, db, demo.BulkOptions{Assets: 100, Today: bulkDay, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if again.DemoLoaded || again.Assets != 100 || again.Systems != 0 || again.SystemsReused != s.Systems || !again.Registers.Kept {
		t.Errorf("second load %+v", again)
	}
	if got := len(allAssets(t, db)); got != n+100 {
		t.Errorf("%d assets after the second load", got)
	}
}

// The same seed makes the same register.
func TestBulkIsReproducible(t *testing.T) {
	ctx := context.Background()
	var names [2][]string
	for i := range names {
		db := pgtest.Open(t)
		if _, err := demo.Bulk(ctx, db, demo.BulkOptions{Assets: 300, Today: bulkDay, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		for _, a := range allAssets(t, db) {
			names[i] = append(names[i], a.Number+" "+a.Name+" "+a.C+a.I+a.A+" "+strings.Join(a.Warnings, ","))
		}
	}
	if !slices.Equal(names[0], names[1]) {
		t.Errorf("two loads with the same seed differ")
	}
}

// An organisation that is not the demo town gets no generated assets, and nothing changes.
func TestBulkRefusesARealOrganisation(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	from := time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.CreateUnit(ctx, office, isms.UnitInput{Code: "110", Name: "総務部総務課", Type: isms.UnitSection, InScope: true, ValidFrom: &from}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, db, bulkDay)
	_, err := demo.Bulk(ctx, db, demo.BulkOptions{Assets: 10, Today: bulkDay})
	if !errors.Is(err, demo.ErrNotDemoTown) {
		t.Fatalf("err %v, want ErrNotDemoTown", err)
	}
	if after := snapshot(t, db, bulkDay); after != before {
		t.Errorf("before %+v, after %+v", before, after)
	}
	if got := allAssets(t, db); len(got) != 0 {
		t.Errorf("%d assets", len(got))
	}
	if _, err := demo.Bulk(ctx, db, demo.BulkOptions{}); err == nil {
		t.Error("a load without a count went ahead")
	}
}
