package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// BulkLoad is a large generated register to write at once (`isms seed bulk`): systems, then
// assets streamed from a generator, so that a million rows never sit in memory together.
type BulkLoad struct {
	// Systems are added unless a system with the same code exists, which is then reused.
	Systems []isms.SystemInput
	// Assets returns the generator of the assets, given the ids of the systems by code. Each call
	// of the generator returns the next asset, and false when there are no more; an error undoes
	// the whole load. Only the fields of the register are read (not ID, Number, ContentIDs or the
	// names); Warnings are stored as given, so the generator applies the rules.
	Assets func(systemIDs map[string]int64, contractIDs map[BulkContract]int64) func() (isms.Asset, bool, error)
	// Contracts are the outsourcing contracts to create (a contractor by name, once, and a
	// contract of the unit with it) for assets to name as their 委託先.
	Contracts       []BulkContract
	FiscalYearStart time.Time // the contracts run for this fiscal year
	// Town, when set, adds the town's other registers beside the assets (see BulkTown), in the same
	// transaction, after the assets.
	Town *BulkTown
	// Summary returns what the audit event records as the load's result, once every asset (and
	// the town's registers) is written.
	Summary func() any
	// RebuildFrom is the size of a load from which indexes and foreign keys are made again after
	// COPY rather than kept up row by row; 0 means 50,000.
	RebuildFrom int
}

// BulkContract is a contract of a unit with a contractor, named by the contractor.
type BulkContract struct {
	UnitID     int64
	Contractor string
}

// BulkResult is what a bulk load wrote and how long each part took.
type BulkResult struct {
	Systems, SystemsReused int
	Assets                 int64
	IndexesRebuilt         int // secondary indexes and foreign keys dropped before COPY and made again after
	Town                   BulkTownResult
	Copy, Index, Analyze   time.Duration
	TownTook               time.Duration // writing the town's registers
}

// bulkRebuildFrom is the size of a load from which the register's secondary indexes and foreign
// keys are dropped before COPY and made again afterwards, which is several times faster than
// maintaining and checking them row by row (PostgreSQL manual, "Populating a Database"). The
// whole load is one transaction: the register is locked while it runs, and a failure leaves it
// as it was, indexes and keys included.
const bulkRebuildFrom = 50_000

// BulkLoadRegister writes a generated register in one transaction with COPY, and records it in the
// audit trail as ONE event, seed.bulk, carrying the counts: not one event per row, which would
// make the trail of a test load larger than the register itself. Only the portal itself (the
// command line) may do this. Afterwards the tables are vacuumed and analysed so that the planner
// knows their new size at once.
func (db *DB) BulkLoadRegister(ctx context.Context, actor isms.Actor, load BulkLoad) (BulkResult, error) {
	if !actor.System {
		return BulkResult{}, isms.Errorf(isms.EFORBIDDEN, "only the command line loads a bulk register")
	}
	var res BulkResult
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		levels, err := findLevels(ctx, tx)
		if err != nil {
			return err
		}
		rank := make(map[string]int, len(levels))
		for _, l := range levels {
			rank[l.Code] = l.Rank
		}
		systemIDs, err := bulkSystems(ctx, tx, load.Systems, &res)
		if err != nil {
			return err
		}
		contractIDs, err := bulkContracts(ctx, tx, load.Contracts, load.FiscalYearStart)
		if err != nil {
			return err
		}

		var existing int64
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM assets`).Scan(&existing); err != nil {
			return err
		}
		next := load.Assets(systemIDs, contractIDs)
		// The size is not known before the generator ends; a load is large when its first rows say so.
		var rebuild []string
		if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
			return err
		}
		from := cmp.Or(load.RebuildFrom, bulkRebuildFrom)
		buffered, more, err := bufferAssets(next, from)
		if err != nil {
			return err
		}
		if more && existing < int64(from) { // a large load into a small register
			if rebuild, err = dropIndexes(ctx, tx, "assets"); err != nil {
				return err
			}
			fks, err := dropForeignKeys(ctx, tx, "assets")
			if err != nil {
				return err
			}
			rebuild = append(rebuild, fks...)
		}

		start := time.Now()
		src := &assetSource{buffered: buffered, next: next, rank: rank}
		n, err := tx.CopyFrom(ctx, pgx.Identifier{"assets"}, assetCopyColumns, src)
		if err != nil {
			return fmt.Errorf("copy assets (row %d): %w", src.n, err)
		}
		if src.err != nil {
			return src.err
		}
		res.Assets = n
		res.Copy = time.Since(start)

		start = time.Now()
		for _, def := range rebuild {
			if _, err := tx.Exec(ctx, def); err != nil {
				return fmt.Errorf("rebuild index or key: %w", err)
			}
		}
		res.IndexesRebuilt = len(rebuild)
		res.Index = time.Since(start)

		if load.Town != nil {
			start = time.Now()
			if res.Town, err = bulkTown(ctx, tx, *load.Town); err != nil {
				return err
			}
			res.TownTook = time.Since(start)
			if load.Town.Done != nil {
				load.Town.Done(res.Town)
			}
		}

		var summary any
		if load.Summary != nil {
			summary = load.Summary()
		}
		return appendAudit(ctx, tx, actor, "seed.bulk", "seed", "", nil, summary)
	})
	if err != nil {
		return res, wrap("bulk load", err)
	}
	start := time.Now()
	tables := []string{"assets", "systems"}
	if load.Town != nil && !res.Town.Kept {
		tables = append(tables, bulkTownTables...)
	}
	for _, table := range tables {
		if _, err := db.pool.Exec(ctx, `VACUUM (ANALYZE) `+pgx.Identifier{table}.Sanitize()); err != nil {
			return res, wrap("bulk load: analyse", err)
		}
	}
	res.Analyze = time.Since(start)
	return res, nil
}

// bulkSystems adds the systems whose codes are not taken and returns the id of every one by code.
func bulkSystems(ctx context.Context, tx pgx.Tx, systems []isms.SystemInput, res *BulkResult) (map[string]int64, error) {
	ids := make(map[string]int64, len(systems))
	for _, in := range systems {
		in.Normalize()
		if err := in.Validate().Err(); err != nil {
			return nil, fmt.Errorf("system %s: %w", in.Code, err)
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO systems (code, name, business, unit_id, zone, hosting, standard_system, handles_my_number,
				handles_personal, vendor_dev, vendor_ops, vendor_maint, contract_from, contract_to, hardware, location,
				os_middleware, auth_method, mfa_enabled, usb_block_enabled, sanitization_method, external_connections,
				backup, recovery_hours, seismic_fixing, flood_risk, replacement_due, warnings)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
				$23, $24, $25, $26, $27, $28)
			ON CONFLICT (code) DO NOTHING RETURNING id`,
			in.Code, in.Name, in.Business, in.UnitID, in.Zone, in.Hosting, in.StandardSystem, in.HandlesMyNumber,
			in.HandlesPersonal, in.VendorDev, in.VendorOps, in.VendorMaint, in.ContractFrom, in.ContractTo, in.Hardware,
			in.Location, in.OSMiddleware, in.AuthMethod, in.MFAEnabled, in.USBBlockEnabled, in.Sanitization,
			in.ExternalConnections, in.Backup, in.RecoveryHours, in.SeismicFixing, in.FloodRisk, in.ReplacementDue,
			isms.CheckSystem(in, nil).Flags()).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			if err = tx.QueryRow(ctx, `SELECT id FROM systems WHERE code = $1`, in.Code).Scan(&id); err != nil {
				return nil, fmt.Errorf("system %s: %w", in.Code, err)
			}
			res.SystemsReused++
		} else if err != nil {
			return nil, fmt.Errorf("system %s: %w", in.Code, err)
		} else {
			res.Systems++
		}
		ids[in.Code] = id
	}
	return ids, nil
}

// bulkContracts adds each contractor once and, for each unit, its contract with it for the fiscal
// year starting on from, and returns the contracts' ids. Their clauses are left to check.
func bulkContracts(ctx context.Context, tx pgx.Tx, contracts []BulkContract, from time.Time) (map[BulkContract]int64, error) {
	units, names := make([]int64, len(contracts)), make([]string, len(contracts))
	for i, c := range contracts {
		units[i], names[i] = c.UnitID, c.Contractor
	}
	rows, err := tx.Query(ctx, `
		WITH wanted AS (SELECT * FROM unnest($1::bigint[], $2::text[]) AS w (unit_id, name)),
		firms AS (
			INSERT INTO contractors (name) SELECT DISTINCT name FROM wanted
			WHERE name NOT IN (SELECT name FROM contractors) RETURNING id, name),
		known AS (SELECT id, name FROM firms UNION SELECT id, name FROM contractors WHERE name IN (SELECT name FROM wanted)),
		made AS (
			INSERT INTO contracts (contractor_id, unit_id, title, period_from, period_to)
			SELECT k.id, w.unit_id, w.name || ' 保守・運用業務委託', $3::date, ($3::date + interval '1 year - 1 day')::date
			FROM wanted w JOIN known k USING (name)
			RETURNING id, contractor_id, unit_id)
		SELECT m.unit_id, k.name, m.id FROM made m JOIN known k ON k.id = m.contractor_id`, units, names, from)
	if err != nil {
		return nil, fmt.Errorf("contracts: %w", err)
	}
	ids := make(map[BulkContract]int64, len(contracts))
	var c BulkContract
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&c.UnitID, &c.Contractor, &id}, func() error {
		ids[c] = id
		return nil
	})
	return ids, err
}

// dropIndexes drops the secondary indexes of table (those that back no constraint) and returns the
// statements that create them again.
func dropIndexes(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, err := tx.Query(ctx, `
		SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
		WHERE i.indrelid = $1::regclass
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
			AND NOT i.indisunique
		ORDER BY i.indexrelid`, table)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	var name, def string
	if _, err := pgx.ForEachRow(rows, []any{&name, &def}, func() error {
		names, defs = append(names, name), append(defs, def)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, err := tx.Exec(ctx, "DROP INDEX "+n); err != nil { // n is regclass output: quoted as needed
			return nil, err
		}
	}
	return defs, nil
}

// dropForeignKeys drops the foreign keys of table and returns the statements that add them again.
// Added again, each is checked in one pass over the table instead of once per row during COPY.
func dropForeignKeys(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, err := tx.Query(ctx, `
		SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`, table)
	if err != nil {
		return nil, err
	}
	var names, adds []string
	var name, def string
	if _, err := pgx.ForEachRow(rows, []any{&name, &def}, func() error {
		names = append(names, name)
		adds = append(adds, "ALTER TABLE "+pgx.Identifier{table}.Sanitize()+" ADD CONSTRAINT "+pgx.Identifier{name}.Sanitize()+" "+def)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+pgx.Identifier{table}.Sanitize()+" DROP CONSTRAINT "+pgx.Identifier{n}.Sanitize()); err != nil {
			return nil, err
		}
	}
	return adds, nil
}

// bufferAssets reads up to n assets ahead, and reports whether the generator has more.
func bufferAssets(next func() (isms.Asset, bool, error), n int) ([]isms.Asset, bool, error) {
	buf := make([]isms.Asset, 0, n)
	for len(buf) < n {
		a, ok, err := next()
		if err != nil || !ok {
			return buf, false, err
		}
		buf = append(buf, a)
	}
	return buf, true, nil
}

// assetCopyColumns are the columns COPY fills; the others take their defaults (number from the
// sequence, search generated, timestamps now, version 1).
var assetCopyColumns = []string{"name", "asset_type", "description", "unit_id", "form", "location", "zone",
	"system_id", "confidentiality", "integrity", "availability", "c_rank", "i_rank", "a_rank", "contains_personal",
	"contains_my_number", "contains_sensitive", "data_subjects", "users_scope", "retention", "backup_policy",
	"recovery_hours", "contract_id", "external_service_id", "social_account_id", "classified_by", "classified_at", "review_due", "status", "reclassify", "warnings"}

// assetSource feeds COPY: the buffered assets first, then the rest of the generator.
type assetSource struct {
	buffered []isms.Asset
	next     func() (isms.Asset, bool, error)
	rank     map[string]int
	n        int
	row      []any
	err      error
}

func (s *assetSource) Next() bool {
	var a isms.Asset
	if s.n < len(s.buffered) {
		a = s.buffered[s.n]
		s.buffered[s.n] = isms.Asset{} // let the collector have it
	} else {
		var ok bool
		if a, ok, s.err = s.next(); !ok || s.err != nil {
			return false
		}
	}
	s.n++
	c, okC := s.rank[a.C]
	i, okI := s.rank[a.I]
	av, okA := s.rank[a.A]
	if !okC || !okI || !okA {
		s.err = fmt.Errorf("asset %d (%s): unknown level %s/%s/%s", s.n, a.Name, a.C, a.I, a.A)
		return false
	}
	warnings := a.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	contract, service, account := outsourcedColumns(a.OutsourcedTo)
	s.row = []any{a.Name, a.Type, a.Description, a.UnitID, string(a.Form), a.Location, nullIf(string(a.Zone), ""),
		nullIf(a.SystemID, 0), a.C, a.I, a.A, c, i, av, a.ContainsPersonal,
		a.ContainsMyNumber, a.ContainsSensitive, a.DataSubjects, a.UsersScope, a.Retention, a.BackupPolicy,
		a.RecoveryHours, nullIf(contract, 0), nullIf(service, 0), nullIf(account, 0), nullIf(a.ClassifiedBy, 0), a.ClassifiedAt, a.ReviewDue, string(a.Status), a.Reclassify, warnings}
	return true
}

func (s *assetSource) Values() ([]any, error) { return s.row, nil }

func (s *assetSource) Err() error { return s.err }

// nullIf is v, or SQL NULL when v is the zero value given.
func nullIf[T comparable](v, zero T) any {
	if v == zero {
		return nil
	}
	return v
}
