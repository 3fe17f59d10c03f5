//go:build bench

// The register at scale: `make bench` (scripts/bench.sh) runs TestBench against a million
// generated assets and prints one line per figure, "BENCH <name> <value>" (milliseconds unless
// the name says otherwise). Built only with the bench tag, so `make test` never runs it.
//
// What is timed, 200 runs each after a warm-up: the five most common asset list pages through the
// real handler in-process (server time from request to response, signed in as the security
// office or as staff of one unit), the raw SQL of the same lists (the statements FindAssets sends
// for the page's filter, recorded and sent again as they are), every statement the page sends
// (page_sql: session, actor, list, master data), searches (two-character and longer terms), and
// saving random assets (UpdateAsset).
//
//	ISMS_BENCH_DATABASE_URL    a server to use (any database of it; the bench creates its own);
//	                           unset: a private cluster in ISMS_BENCH_DATA_DIR (default ../../var/bench)
//	ISMS_BENCH_SHARED_BUFFERS  shared_buffers of that private cluster (default 1GB; PostgreSQL's own is 128MB)
//	ISMS_BENCH_ASSETS          register size (default 1000000)
//	ISMS_BENCH_ITERATIONS      timed runs of each query (default 200)
//	ISMS_BENCH_BUDGET_S        seconds at most per query (default 60; at least 20 runs)
//	ISMS_BENCH_VERBOSE         also print the statements each page sends
//
// The register is loaded once into a database named after the migrations and the size, and kept:
// a second run measures at once. A change to the migrations loads a new one (and drops the old).
package postgres_test

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/auth"
	"github.com/jichitai-isms/isms/internal/demo"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/pglocal"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/server"
	"github.com/jichitai-isms/isms/migrations"
)

// benchPageSize is the asset list's page (server assetPageSize); the bench checks that the store
// call it times sends the same statements as the page.
const benchPageSize = 50

const benchPassword = "bench horse battery staple"

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// report prints a figure for the Makefile to collect.
func report(name string, v float64) { fmt.Printf("BENCH %s %.2f\n", name, v) }

func progress(format string, args ...any) {
	fmt.Printf("bench: "+format+"\n", args...)
}

func TestBench(t *testing.T) {
	ctx := context.Background()
	n := envInt("ISMS_BENCH_ASSETS", 1_000_000)
	iterations := envInt("ISMS_BENCH_ITERATIONS", 200)

	dbURL := benchDatabase(t, benchServer(t), n)
	db, qlog, err := postgres.OpenWithLog(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var buffers, workMem, version string
	if err := db.Pool().QueryRow(ctx, `SELECT current_setting('shared_buffers'), current_setting('work_mem'), current_setting('server_version')`).
		Scan(&buffers, &workMem, &version); err != nil {
		t.Fatal(err)
	}
	progress("PostgreSQL %s, shared_buffers %s, work_mem %s; %d timed runs per query (at most %v each)", version, buffers, workMem,
		iterations, benchBudget)

	sealer, err := auth.NewSealer([]byte("bench-key-0123456789abcdef012345"))
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(server.Config{Logger: slog.New(slog.DiscardHandler), DB: db, SessionStore: db.SessionStore(), Sealer: sealer})
	staffUnit, err := db.FindUnitByCode(ctx, "1401") // 戸籍住民係, one of the largest units
	if err != nil {
		t.Fatal(err)
	}
	taxUnit, err := db.FindUnitByCode(ctx, "1301") // 住民税係
	if err != nil {
		t.Fatal(err)
	}
	office := benchUser(t, db, sealer, h, "bench.office", isms.RoleSecurityOffice, 0)
	staff := benchUser(t, db, sealer, h, "bench.staff", isms.RoleStaff, staffUnit.ID)
	today := isms.Day(time.Now())

	// The five most common list queries: everyone's first page, a member of staff's own unit, one
	// unit chosen by the security office, the 要確認 list and the overdue reviews by date.
	lists := []benchQuery{
		{"all", office, "/assets", isms.AssetFilter{}},
		{"staff_unit", staff, "/assets", isms.AssetFilter{}},
		{"unit", office, "/assets?unit=" + strconv.FormatInt(taxUnit.ID, 10), isms.AssetFilter{UnitID: taxUnit.ID}},
		{"flagged", office, "/assets?flagged=1", isms.AssetFilter{Flagged: true}},
		{"overdue", office, "/assets?overdue=1&sort=review_due", isms.AssetFilter{ReviewBefore: &today, Sort: isms.SortReviewDue}},
	}
	searches := []benchQuery{
		{"jumin", office, "/assets?q=" + url.QueryEscape("住民"), isms.AssetFilter{Query: "住民"}},
		{"daicho", office, "/assets?q=" + url.QueryEscape("台帳"), isms.AssetFilter{Query: "台帳"}},
		{"shinseisho", office, "/assets?q=" + url.QueryEscape("申請書"), isms.AssetFilter{Query: "申請書"}},
		{"juki", office, "/assets?q=" + url.QueryEscape("住民基本台帳"), isms.AssetFilter{Query: "住民基本台帳"}},
		{"two_terms", office, "/assets?q=" + url.QueryEscape("固定資産税 申告書"), isms.AssetFilter{Query: "固定資産税 申告書"}},
		{"rare", office, "/assets?q=" + url.QueryEscape("秘密文書"), isms.AssetFilter{Query: "秘密文書"}},
		{"staff_jumin", staff, "/assets?q=" + url.QueryEscape("住民"), isms.AssetFilter{Query: "住民"}},
	}

	var worstPage, worstSQL, worstRatio, worstSearch float64
	for _, q := range lists {
		page, sql, all := q.measure(t, db, qlog, h, iterations)
		report("asset_list_"+q.name+"_p95_ms", page)
		report("asset_list_"+q.name+"_sql_p95_ms", sql)
		report("asset_list_"+q.name+"_page_sql_p95_ms", all)
		report("asset_list_"+q.name+"_ratio", page/sql)
		worstPage, worstSQL, worstRatio = max(worstPage, page), max(worstSQL, sql), max(worstRatio, page/sql)
	}
	for _, q := range searches {
		page, sql, _ := q.measure(t, db, qlog, h, iterations)
		report("asset_search_"+q.name+"_p95_ms", page)
		report("asset_search_"+q.name+"_sql_p95_ms", sql)
		worstSearch = max(worstSearch, page)
	}
	save := benchSave(t, db, office.actor, iterations)

	report("asset_list_p95_ms", worstPage)
	report("asset_list_sql_p95_ms", worstSQL)
	report("asset_list_ratio_max", worstRatio)
	report("asset_search_p95_ms", worstSearch)
	report("asset_save_p95_ms", save)
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	progress("targets: list p95 ≤ 30 ms %s; list ≤ 1.5 × raw SQL %s; search p95 ≤ 100 ms %s",
		verdict(worstPage <= 30), verdict(worstRatio <= 1.5), verdict(worstSearch <= 100))
}

// benchServer is the PostgreSQL server the bench uses: ISMS_BENCH_DATABASE_URL, or a private
// cluster of its own kept in the scratch folder (durable settings, as `make run` has them).
func benchServer(t *testing.T) string {
	if u := os.Getenv("ISMS_BENCH_DATABASE_URL"); u != "" {
		return u
	}
	dir := os.Getenv("ISMS_BENCH_DATA_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "var", "bench")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	opts := pglocal.Options{DataDir: filepath.Join(dir, "pgdata")}
	cluster, err := pglocal.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	// A server for a register of a million assets (1.1 GB) keeps it in its buffers, as a tuned
	// deployment would: 1 GB of shared buffers (PostgreSQL's default is 128 MB), set in the bench
	// cluster's own postgresql.auto.conf.
	conn, err := pgx.Connect(ctx, cluster.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	var buffers string
	err = conn.QueryRow(ctx, `SHOW shared_buffers`).Scan(&buffers)
	if err == nil && buffers != benchSharedBuffers {
		_, err = conn.Exec(ctx, `ALTER SYSTEM SET shared_buffers = '`+benchSharedBuffers+`'`)
	}
	conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if buffers != benchSharedBuffers {
		cluster.Stop()
		if cluster, err = pglocal.Start(ctx, opts); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { cluster.Stop() })
	return cluster.URL("postgres")
}

// benchSharedBuffers is the bench cluster's shared_buffers.
var benchSharedBuffers = cmp.Or(os.Getenv("ISMS_BENCH_SHARED_BUFFERS"), "1GB")

// benchDatabase returns the database holding the bench register of n assets for the current
// migrations, loading it when it does not exist yet: a loaded database carries a comment saying so.
func benchDatabase(t *testing.T, serverURL string, n int) string {
	ctx := context.Background()
	sum := sha256.New()
	if err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		fmt.Fprintf(sum, "%s\x00%d\x00", path, len(b))
		sum.Write(b)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	prefix := "isms_bench_" + hex.EncodeToString(sum.Sum(nil)[:6]) + "_"
	name := prefix + strconv.Itoa(n)
	const loaded = "isms bench register loaded"
	dbURL, err := postgres.WithDatabase(serverURL, name)
	if err != nil {
		t.Fatal(err)
	}

	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var comment string
	if err := conn.QueryRow(ctx, `SELECT coalesce((SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1), '')`,
		name).Scan(&comment); err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(comment, loaded) {
		progress("using the register loaded before: database %s (%s)", name, comment)
		return dbURL
	}
	// Registers of earlier migrations, and a load interrupted half-way, are dropped.
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'isms\_bench\_%' AND (NOT starts_with(datname, $1) OR datname = $2)`,
		prefix, name)
	if err != nil {
		t.Fatal(err)
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stale {
		progress("dropping %s", s)
		if _, err := conn.Exec(ctx, "DROP DATABASE "+pgx.Identifier{s}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Fatal(err)
		}
	}
	db := createBenchDatabase(t, conn, dbURL, name)
	defer db.Close()
	progress("loading %d assets into %s (once; later runs reuse it) …", n, name)
	s, err := demo.Bulk(ctx, db, demo.BulkOptions{Assets: n, Today: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	progress("loaded %d assets, %d systems in %.1f s (copy %.1f s, %d indexes %.1f s, vacuum/analyse %.1f s); flagged %d",
		s.Assets, s.Systems, s.Took.Seconds(), s.Copy.Seconds(), s.IndexesRebuilt, s.Index.Seconds(), s.Analyze.Seconds(), s.Flagged)
	report("bulk_load_s", s.Took.Seconds())
	var size string
	if err := conn.QueryRow(ctx, `SELECT pg_size_pretty(pg_database_size($1))`, name).Scan(&size); err == nil {
		progress("database size %s", size)
	}
	note := fmt.Sprintf("%s %s: %d assets in %.0f s", loaded, time.Now().Format(time.DateOnly), n, s.Took.Seconds())
	if _, err := conn.Exec(ctx, "COMMENT ON DATABASE "+pgx.Identifier{name}.Sanitize()+" IS '"+strings.ReplaceAll(note, "'", "''")+"'"); err != nil {
		t.Fatal(err)
	}
	return dbURL
}

// createBenchDatabase creates the database name (at dbURL) on the server of conn, migrated, and
// opens it.
func createBenchDatabase(t *testing.T, conn *pgx.Conn, dbURL, name string) *postgres.DB {
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := postgres.Migrate(ctx, dbURL, 0); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// benchActor is a signed-in person: their session cookie for the pages, their actor for the store.
type benchActor struct {
	login  string
	cookie *http.Cookie
	actor  isms.Actor
}

// benchUser makes sure the account exists (enrolled in MFA where the role needs it) and signs it in
// through the real pages, with a recovery code made for this run.
func benchUser(t *testing.T, db *postgres.DB, sealer *auth.Sealer, h http.Handler, login string, role isms.Role, unitID int64) benchActor {
	ctx := context.Background()
	system := isms.SystemActor("bench")
	cred, err := db.FindCredentials(ctx, login)
	if isms.ErrorCode(err) == isms.ENOTFOUND {
		hash, err := auth.HashPassword(benchPassword, auth.DefaultParams)
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateUser(ctx, system, isms.UserInput{LoginID: login, Name: "性能測定 " + login, NameKana: "セイノウソクテイ",
			Lang: "ja", DateStyle: "seireki", Role: role, UnitID: unitID}, hash)
		if err != nil {
			t.Fatal(err)
		}
		self := isms.Actor{UserID: u.ID, Label: login}
		if _, err := db.ChangeOwnPassword(ctx, self, hash); err != nil {
			t.Fatal(err)
		}
		secret, _ := auth.NewTOTPSecret()
		sealed, _ := sealer.Seal([]byte(secret))
		if _, err := db.EnrolTOTP(ctx, self, sealed, 0, nil); err != nil {
			t.Fatal(err)
		}
		if cred, err = db.FindCredentials(ctx, login); err != nil {
			t.Fatal(err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	codes, hashes, _ := auth.NewRecoveryCodes(1)
	if err := db.ReplaceRecoveryCodes(ctx, isms.Actor{UserID: cred.UserID, Label: login}, hashes); err != nil {
		t.Fatal(err)
	}

	var cookie *http.Cookie
	send := func(path string, form url.Values) string {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if cookie != nil {
			req.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("sign in %s at %s: status %d", login, path, rec.Code)
		}
		for _, c := range rec.Result().Cookies() {
			if c.Name == "isms_session" {
				cookie = c
			}
		}
		return rec.Header().Get("Location")
	}
	if next := send("/login", url.Values{"login_id": {login}, "password": {benchPassword}}); next == "/login/mfa" {
		send("/login/mfa", url.Values{"code": {codes[0]}})
	}
	if cred, err = db.FindCredentials(ctx, login); err != nil {
		t.Fatal(err)
	}
	actor, err := db.FindActor(ctx, cred.UserID, cred.AuthEpoch, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return benchActor{login: login, cookie: cookie, actor: actor}
}

// benchQuery is one list page, as its URL and as the filter the page gives the store.
type benchQuery struct {
	name   string
	who    benchActor
	path   string
	filter isms.AssetFilter
}

// get serves the page in-process and returns the server's time from request to response.
func (q benchQuery) get(t *testing.T, h http.Handler) (time.Duration, string) {
	req := httptest.NewRequest(http.MethodGet, q.path, nil)
	req.AddCookie(q.who.cookie)
	rec := httptest.NewRecorder()
	start := time.Now()
	h.ServeHTTP(rec, req)
	d := time.Since(start)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s as %s: status %d", q.path, q.who.login, rec.Code)
	}
	return d, rec.Body.String()
}

// measure times the page and the raw SQL of its list: the statements FindAssets sends for the
// page's filter, checked to be the ones the page itself sent, run again as they are.
func (q benchQuery) measure(t *testing.T, db *postgres.DB, qlog *postgres.QueryLog, h http.Handler, iterations int) (page, sql, all float64) {
	ctx := context.Background()
	qlog.Start()
	_, body := q.get(t, h)
	pageStmts := qlog.Stop()
	f := q.filter
	f.Limit = benchPageSize
	actor := q.who.actor
	qlog.Start()
	assets, total, more, _, err := db.FindAssets(ctx, actor, f)
	stmts := qlog.Stop()
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string]bool{}
	for _, s := range pageStmts {
		sent[s.String()] = true
	}
	for _, s := range stmts {
		if !sent[s.String()] {
			t.Fatalf("%s: the store's statement was not sent by the page:\n%s", q.name, s)
		}
	}
	if len(assets) > 0 && !strings.Contains(body, assets[0].Number) {
		t.Fatalf("%s: the page does not show %s", q.name, assets[0].Number)
	}
	progress("%s %s: %d rows shown of %d (more %v), %d statements, page %d statements", q.name, q.path, len(assets), total, more,
		len(stmts), len(pageStmts))
	if os.Getenv("ISMS_BENCH_VERBOSE") != "" {
		for _, s := range pageStmts {
			progress("  page statement: %.120s", strings.Join(strings.Fields(s.SQL), " "))
		}
	}

	warm := max(iterations/10, 5)
	pages := make([]time.Duration, 0, iterations)
	raws := make([]time.Duration, 0, iterations)
	alls := make([]time.Duration, 0, iterations)
	run := func(list []postgres.Statement) time.Duration {
		start := time.Now()
		for _, s := range list {
			if _, err := db.RunRaw(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		return time.Since(start)
	}
	began := time.Now()
	for i := 0; len(pages) < iterations; i++ {
		raw := run(stmts)
		// Every statement of the page (session, actor, list, master data, session write), as
		// sent: what the database takes of the page's time; the rest is Go (middleware, render).
		whole := run(pageStmts)
		d, _ := q.get(t, h)
		if i >= warm {
			raws, pages, alls = append(raws, raw), append(pages, d), append(alls, whole)
		}
		// A slow query is measured for benchBudget at most, on at least 20 runs.
		if len(pages) >= 20 && time.Since(began) > benchBudget {
			progress("%s: stopped after %d runs (%v)", q.name, len(pages), time.Since(began).Round(time.Second))
			break
		}
	}
	return p95(pages), p95(raws), p95(alls)
}

// benchBudget bounds the time spent on one query, so that a slow one does not hold up the run.
var benchBudget = time.Duration(envInt("ISMS_BENCH_BUDGET_S", 60)) * time.Second

// benchSave times saving random assets through the store, as the security office.
func benchSave(t *testing.T, db *postgres.DB, actor isms.Actor, iterations int) float64 {
	ctx := context.Background()
	_, total, _, _, err := db.FindAssets(ctx, actor, isms.AssetFilter{Limit: 1})
	if err != nil || total == 0 {
		t.Fatalf("no assets to save: %v", err)
	}
	first, _, _, _, err := db.FindAssets(ctx, actor, isms.AssetFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	lowest := first[0].ID
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	warm := max(iterations/10, 5)
	times := make([]time.Duration, 0, iterations)
	for len(times) < iterations {
		// Ids follow the load's order; a disposed asset is closed to edits, and picked again.
		a, err := db.FindAsset(ctx, actor, lowest+r.Int64N(int64(max(total, 1))))
		if isms.ErrorCode(err) == isms.ENOTFOUND || a.Status == isms.AssetDisposed {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		in := a.Input()
		if strings.HasSuffix(in.Location, "（確認済）") {
			in.Location = strings.TrimSuffix(in.Location, "（確認済）")
		} else {
			in.Location += "（確認済）"
		}
		start := time.Now()
		_, _, err = db.UpdateAsset(ctx, actor, a.ID, in)
		d := time.Since(start)
		if err != nil {
			t.Fatalf("save %s: %v", a.Number, err)
		}
		if warm > 0 {
			warm--
			continue
		}
		times = append(times, d)
	}
	return p95(times)
}

// p95 is the 95th percentile in milliseconds (nearest rank).
func p95(ds []time.Duration) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(0.95*float64(len(s)))) - 1
	return float64(s[max(i, 0)].Microseconds()) / 1000
}
