//go:build bench

package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/encoding/japanese"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/ledger"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// TestBenchLedgerImport times the import of a 100,000-row 情報資産管理台帳 (Shift_JIS CSV) the way
// the import pages run it: the file kept, read, its rows turned into inputs and checked by the
// form's rules, then read, turned and checked again under locks and written in one transaction.
// It prints ledger_import_100k_s and the ratio to COPY of the same rows into the same table, the
// fastest way PostgreSQL has to add them. Targets: ≤ 20 s and ≤ 3 ×.
func TestBenchLedgerImport(t *testing.T) {
	ctx := context.Background()
	n := envInt("ISMS_BENCH_IMPORT_ROWS", 100_000)
	serverURL := benchServer(t)
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	const name = "isms_bench_import" // made again on every run: the import starts from an empty register
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
	dbURL, err := postgres.WithDatabase(serverURL, name)
	if err != nil {
		t.Fatal(err)
	}
	db := createBenchDatabase(t, conn, dbURL, name)
	defer db.Close()
	system := isms.SystemActor("bench")
	day := time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)
	units := make([]isms.Unit, 10)
	for i := range units {
		if units[i], err = db.CreateUnit(ctx, system, isms.UnitInput{Code: fmt.Sprintf("%d", 1100+i), Name: fmt.Sprintf("課%02d", i),
			Type: isms.UnitSection, InScope: true, ValidFrom: &day}); err != nil {
			t.Fatal(err)
		}
	}
	u, err := db.CreateUser(ctx, system, isms.UserInput{LoginID: "bench.import", Name: "取込 担当", Lang: "ja",
		DateStyle: "seireki", Role: isms.RoleSecurityOffice, UnitID: units[0].ID}, "not-a-real-hash")
	if err != nil {
		t.Fatal(err)
	}
	actor, err := db.FindActor(ctx, u.ID, 1, time.Now()) // a new account is at its first epoch
	if err != nil {
		t.Fatal(err)
	}
	file := benchLedger(t, n, len(units))
	progress("import: %d rows, %.1f MB of Shift_JIS CSV", n, float64(len(file))/(1<<20))

	reg, err := db.FindRegisterLookups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lk := ledger.Lookups{Units: map[string]int64{}, Systems: map[string]int64{}, Types: map[string]string{}, Levels: reg.Scheme.Levels}
	for _, u := range reg.Units {
		lk.Units[ledger.Key(u.Code)] = u.ID
	}
	for _, ty := range reg.Types {
		lk.Types[ledger.Key(ty.NameJa)] = ty.Code
	}
	rowsOf := func() (*ledger.Table, ledger.Header, []postgres.AssetImportRow) {
		tab, err := ledger.Read(bytes.NewReader(file), "台帳.csv", ledger.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		hdr := ledger.FindHeader(tab, ledger.AssetLayout)
		rows, problems := ledger.AssetRows(tab, hdr, lk)
		if len(problems) > 0 {
			t.Fatalf("%d problems, first %+v", len(problems), problems[0])
		}
		out := make([]postgres.AssetImportRow, len(rows))
		for i, r := range rows {
			out[i] = postgres.AssetImportRow{Row: r.Row, Number: r.Number, Input: r.Input}
		}
		return tab, hdr, out
	}

	start := time.Now()
	tab, hdr, rows := rowsOf()
	im, err := db.CreateImport(ctx, actor, isms.Import{Kind: isms.ImportAssets, Mode: isms.ImportAdd, FileName: "台帳.csv",
		Format: string(tab.Format), Encoding: string(tab.Encoding), HeaderRow: hdr.Row, HeaderRows: hdr.Rows,
		Names: hdr.Names, Mapping: hdr.Mapping}, file)
	if err != nil {
		t.Fatal(err)
	}
	if im, err = db.StartImportCheck(ctx, actor, im.ID, im.Version, isms.ImportAdd, im.Mapping); err != nil {
		t.Fatal(err)
	}
	bad, err := db.CheckAssetImport(ctx, actor, postgres.AssetImport{ID: im.ID, Mode: isms.ImportAdd, Rows: rows})
	if err != nil || len(bad) > 0 {
		t.Fatalf("check: %d bad rows, %v", len(bad), err)
	}
	if err := db.FinishImportCheck(ctx, im.ID, len(rows), nil, nil); err != nil {
		t.Fatal(err)
	}
	checked := time.Since(start)
	if im, err = db.FindImport(ctx, actor, im.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartImportWrite(ctx, actor, im.ID, im.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindImportContent(ctx, actor, im.ID); err != nil {
		t.Fatal(err)
	}
	_, _, rows = rowsOf()
	written, bad, err := db.ImportAssets(ctx, actor, postgres.AssetImport{ID: im.ID, Mode: isms.ImportAdd, Rows: rows})
	if err != nil || len(bad) > 0 || written != n {
		t.Fatalf("import: %d written, %d bad, %v", written, len(bad), err)
	}
	took := time.Since(start)
	progress("import: checked in %.1f s, written in %.1f s", checked.Seconds(), (took - checked).Seconds())

	// The same rows by COPY alone, into the same table emptied.
	if _, err := db.Pool().Exec(ctx, `TRUNCATE assets CASCADE`); err != nil {
		t.Fatal(err)
	}
	copyRows := make([][]any, len(rows))
	for i, r := range rows {
		in := r.Input
		form, zone := "paper", any(nil) // as the import's defaults make them
		if in.Zone != "" {
			form, zone = "electronic", string(in.Zone)
		}
		copyRows[i] = []any{in.Name, in.Type, in.UnitID, form, zone, in.Location, in.C, in.I, in.A,
			levelRank(in.C), levelRank(in.I), levelRank(in.A), in.ContainsPersonal, actor.UserID,
			time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), "in_use", false, []string{}}
	}
	start = time.Now()
	copied, err := db.Pool().CopyFrom(ctx, pgx.Identifier{"assets"}, []string{"name", "asset_type", "unit_id", "form",
		"zone", "location", "confidentiality", "integrity", "availability", "c_rank", "i_rank", "a_rank", "contains_personal",
		"classified_by", "classified_at", "review_due", "status", "reclassify", "warnings"}, pgx.CopyFromRows(copyRows))
	if err != nil || copied != int64(n) {
		t.Fatalf("copy: %d rows, %v", copied, err)
	}
	byCopy := time.Since(start)
	progress("COPY of the same rows: %.1f s", byCopy.Seconds())
	report("ledger_import_100k_s", took.Seconds()*100_000/float64(n))
	report("ledger_import_vs_copy_ratio", took.Seconds()/byCopy.Seconds())
	progress("targets: import ≤ 20 s %v; ≤ 3 × COPY %v", took.Seconds()*100_000/float64(n) <= 20, took.Seconds()/byCopy.Seconds() <= 3)
}

// levelRank is the rank of the few levels the bench ledger uses.
func levelRank(code string) int {
	return map[string]int{"LGC3B": 4, "LGC2": 2, "LGC1": 1, "LGI2": 2, "LGI1": 1, "LGA2": 2, "LGA1": 1}[code]
}

// benchLedger is a ledger of n paper and electronic assets over the units, as a town's old
// system exports it: Shift_JIS, 和暦 dates, units by code.
func benchLedger(t *testing.T, n, units int) []byte {
	var b bytes.Buffer
	b.WriteString("資産名,資産の種類,所管課,保管場所,機密性,完全性,可用性,個人情報,ネットワーク区分,分類日,見直し期限\r\n")
	for i := range n {
		typ, c, zone := "情報（紙文書）", "3B", ""
		if i%2 == 1 {
			typ, c, zone = "情報（電子データ）", "2", "LGWAN接続系"
		}
		fmt.Fprintf(&b, "業務文書%06d,%s,%d,書庫%d,%s,1,1,○,%s,令和8年4月1日,R9.3.31\r\n", i+1, typ, 1100+i%units, i%40+1, c, zone)
	}
	out, err := japanese.ShiftJIS.NewEncoder().Bytes(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return out
}
