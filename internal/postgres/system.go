package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The system register (情報システム台帳). A system belongs to a unit and is seen by those whose
// scope covers that unit; its C, I and A are computed here from the assets it holds.

// systemEffectiveRank is the rank of an asset's level of one axis in the active scheme (act): the
// level's own rank when it belongs to that scheme, else the highest level it maps onto for the
// asset's personal information (an asset not yet reclassified after a scheme switch), else its
// own rank.
func systemEffectiveRank(levelCol, rankCol string) string {
	return `CASE WHEN EXISTS (SELECT 1 FROM classification_levels x WHERE x.code = a.` + levelCol + ` AND x.scheme_code = act.code)
		THEN a.` + rankCol + `
		ELSE coalesce((SELECT max(t.rank) FROM classification_mappings m
			JOIN classification_levels t ON t.code = m.to_level AND t.scheme_code = act.code
			WHERE m.from_level = a.` + levelCol + ` AND m.basis IN ('any', CASE
				WHEN a.contains_my_number OR a.contains_sensitive THEN 'special'
				WHEN a.contains_personal THEN 'personal' ELSE 'none' END)), a.` + rankCol + `) END`
}

// systemColumns are read by every query that returns isms.System; scanSystem reads them in this
// order. The last four are the highest ranks of the assets held and their number.
const systemColumns = `s.id, s.code, s.name, s.business, s.unit_id, coalesce(s.admin_person_id, 0), s.operators,
	s.zone, s.hosting, s.standard_system, s.handles_my_number, s.handles_personal, s.vendor_dev, s.vendor_ops,
	s.vendor_maint, s.contract_from, s.contract_to, s.hardware, s.location, s.os_middleware, s.auth_method,
	s.mfa_enabled, s.usb_block_enabled, s.sanitization_method, s.external_connections, s.backup, s.recovery_hours,
	s.seismic_fixing, s.flood_risk, s.documents, s.replacement_due, s.warnings, s.version, s.created_at, s.updated_at,
	un.name, coalesce(ap.name, ''), coalesce(held.c_rank, 0), coalesce(held.i_rank, 0), coalesce(held.a_rank, 0),
	coalesce(held.n, 0)`

// systemFrom joins a system to its unit, its administrator and the assets it holds that are not
// disposed of (assets_system_idx).
var systemFrom = `systems s
	JOIN units un ON un.id = s.unit_id
	LEFT JOIN people ap ON ap.id = s.admin_person_id
	LEFT JOIN LATERAL (
		SELECT max(` + systemEffectiveRank("confidentiality", "c_rank") + `) AS c_rank,
			max(` + systemEffectiveRank("integrity", "i_rank") + `) AS i_rank,
			max(` + systemEffectiveRank("availability", "a_rank") + `) AS a_rank,
			count(*) AS n
		FROM assets a CROSS JOIN (SELECT code FROM classification_schemes WHERE active) act
		WHERE a.system_id = s.id AND a.status <> 'disposed') held ON true`

// systemRanks are the computed ranks of one system as scanned, named in the active scheme by nameLevels.
type systemRanks struct{ c, i, a int }

func scanSystem(row pgx.Row) (isms.System, systemRanks, error) {
	var s isms.System
	var r systemRanks
	err := row.Scan(&s.ID, &s.Code, &s.Name, &s.Business, &s.UnitID, &s.AdminPersonID, &s.Operators,
		&s.Zone, &s.Hosting, &s.StandardSystem, &s.HandlesMyNumber, &s.HandlesPersonal, &s.VendorDev, &s.VendorOps,
		&s.VendorMaint, &s.ContractFrom, &s.ContractTo, &s.Hardware, &s.Location, &s.OSMiddleware, &s.AuthMethod,
		&s.MFAEnabled, &s.USBBlockEnabled, &s.Sanitization, &s.ExternalConnections, &s.Backup, &s.RecoveryHours,
		&s.SeismicFixing, &s.FloodRisk, &s.Documents, &s.ReplacementDue, &s.Warnings, &s.Version, &s.CreatedAt, &s.UpdatedAt,
		&s.UnitName, &s.AdminName, &r.c, &r.i, &r.a, &s.AssetCount)
	return s, r, err
}

// nameLevels gives the system the levels of the active scheme at its computed ranks.
func nameLevels(s *isms.System, r systemRanks, scheme isms.Scheme) {
	for _, l := range scheme.Levels {
		switch {
		case l.Axis == isms.AxisC && l.Rank == r.c:
			s.C = l
		case l.Axis == isms.AxisI && l.Rank == r.i:
			s.I = l
		case l.Axis == isms.AxisA && l.Rank == r.a:
			s.A = l
		}
	}
}

// activeSchemeOrNone is the active scheme, or an empty one when the town has none (then no
// system has levels).
func activeSchemeOrNone(ctx context.Context, q querier) (isms.Scheme, error) {
	s, err := findSchemes(ctx, q, true)
	if err != nil || len(s) == 0 {
		return isms.Scheme{}, err
	}
	return s[0], nil
}

// systemScope is the SQL condition that the system s lies in the actor's scope; it appends the
// actor's scope to args.
func systemScope(actor isms.Actor, args *[]any) string {
	*args = append(*args, actor.AllUnits, actor.UnitIDs)
	return fmt.Sprintf("($%d OR s.unit_id = ANY($%d))", len(*args)-1, len(*args))
}

// findSystem returns a system within the actor's scope; one outside it is ENOTFOUND, exactly as
// one that does not exist.
func findSystem(ctx context.Context, q querier, actor isms.Actor, id int64) (isms.System, error) {
	scheme, err := activeSchemeOrNone(ctx, q)
	if err != nil {
		return isms.System{}, err
	}
	args := []any{id}
	scope := systemScope(actor, &args)
	s, r, err := scanSystem(q.QueryRow(ctx, `SELECT `+systemColumns+` FROM `+systemFrom+` WHERE s.id = $1 AND `+scope, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return s, isms.Errorf(isms.ENOTFOUND, "system %d not found", id)
	}
	if err != nil {
		return s, err
	}
	nameLevels(&s, r, scheme)
	return s, nil
}

// FindSystem returns one system of the register within the actor's scope.
func (db *DB) FindSystem(ctx context.Context, actor isms.Actor, id int64) (isms.System, error) {
	s, err := findSystem(ctx, db.pool, actor, id)
	return s, wrap("find system", err)
}

// FindSystems returns a page of the register in code order within the actor's scope, with the
// number of all that match, and the code to continue after ("" on the last page).
func (db *DB) FindSystems(ctx context.Context, actor isms.Actor, f isms.SystemFilter) (systems []isms.System, total int, next string, err error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	scheme, err := activeSchemeOrNone(ctx, db.pool)
	if err != nil {
		return nil, 0, "", wrap("find systems", err)
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	where := []string{systemScope(actor, &args)}
	if q := strings.TrimSpace(f.Query); q != "" {
		p := arg("%" + escapeLike(q) + "%")
		where = append(where, fmt.Sprintf("(s.code ILIKE %[1]s OR s.name ILIKE %[1]s)", p))
	}
	if f.UnitID != 0 {
		where = append(where, "s.unit_id = "+arg(f.UnitID))
	}
	if f.Zone != "" {
		where = append(where, "s.zone = "+arg(string(f.Zone)))
	}
	if f.Flagged {
		where = append(where, "s.warnings <> '{}'")
	}
	cond := strings.Join(where, " AND ")
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM systems s WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, "", wrap("count systems", err)
	}
	if f.After != "" {
		cond += " AND s.code > " + arg(f.After)
	}
	rows, err := db.pool.Query(ctx, `SELECT `+systemColumns+` FROM `+systemFrom+` WHERE `+cond+
		` ORDER BY s.code LIMIT `+arg(f.Limit+1), args...)
	if err != nil {
		return nil, 0, "", wrap("find systems", err)
	}
	systems, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.System, error) {
		s, r, err := scanSystem(row)
		nameLevels(&s, r, scheme)
		return s, err
	})
	if err != nil {
		return nil, 0, "", wrap("find systems", err)
	}
	if len(systems) > f.Limit {
		systems = systems[:f.Limit]
		next = systems[len(systems)-1].Code
	}
	return systems, total, next, nil
}

// FindSystemOptions returns the id, code and name of every system the actor sees, in code order,
// for the choice of a system on other forms (an asset's 関連情報システム).
func (db *DB) FindSystemOptions(ctx context.Context, actor isms.Actor) ([]isms.System, error) {
	var args []any
	scope := systemScope(actor, &args)
	rows, err := db.pool.Query(ctx, `SELECT s.id, s.code, s.name FROM systems s WHERE `+scope+` ORDER BY s.code`, args...)
	if err != nil {
		return nil, wrap("find system options", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (isms.System, error) {
		var s isms.System
		err := row.Scan(&s.ID, &s.Code, &s.Name)
		return s, err
	})
	return list, wrap("find system options", err)
}

// CreateSystem registers a system. The save is judged on the actor's day: the unit must exist
// then and the administrator hold 情報システム管理者 for it then.
func (db *DB) CreateSystem(ctx context.Context, actor isms.Actor, in isms.SystemInput) (isms.System, error) {
	if !isms.SystemEditor(actor) {
		return isms.System{}, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	}
	var s isms.System
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		s, err = createSystem(ctx, tx, actor, in, true)
		return err
	})
	return s, wrap("create system", err)
}

// createSystem is CreateSystem inside a transaction, for the form and for the import of a
// register. audit records the creation as its own event; an import records itself once, with
// its row count, instead.
func createSystem(ctx context.Context, tx pgx.Tx, actor isms.Actor, in isms.SystemInput, audit bool) (isms.System, error) {
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.System{}, err
	}
	if err := checkSystemUnitAndAdmin(ctx, tx, actor, in, 0, actor.Day()); err != nil {
		return isms.System{}, err
	}
	warnings := isms.CheckSystem(in, nil).Flags()
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO systems (code, name, business, unit_id, admin_person_id, operators, zone, hosting,
			standard_system, handles_my_number, handles_personal, vendor_dev, vendor_ops, vendor_maint,
			contract_from, contract_to, hardware, location, os_middleware, auth_method, mfa_enabled,
			usb_block_enabled, sanitization_method, external_connections, backup, recovery_hours,
			seismic_fixing, flood_risk, documents, replacement_due, warnings)
		VALUES ($1, $2, $3, $4, nullif($5, 0), $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
			$20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31) RETURNING id`,
		systemArgs(in, warnings)...).Scan(&id)
	if isUniqueViolation(err) {
		return isms.System{}, isms.FieldErrors{"code": "system.error.code_taken"}.Err()
	}
	if err != nil {
		return isms.System{}, err
	}
	s, err := findSystem(ctx, tx, isms.SystemActor("find"), id)
	if err != nil || !audit {
		return s, err
	}
	return s, appendAudit(ctx, tx, actor, "system.create", "system", idString(id), nil, s)
}

// systemArgs are the values of a system's columns in the order of CreateSystem's INSERT.
func systemArgs(in isms.SystemInput, warnings []string) []any {
	return []any{in.Code, in.Name, in.Business, in.UnitID, in.AdminPersonID, in.Operators, in.Zone, in.Hosting,
		in.StandardSystem, in.HandlesMyNumber, in.HandlesPersonal, in.VendorDev, in.VendorOps, in.VendorMaint,
		in.ContractFrom, in.ContractTo, in.Hardware, in.Location, in.OSMiddleware, in.AuthMethod, in.MFAEnabled,
		in.USBBlockEnabled, in.Sanitization, in.ExternalConnections, in.Backup, in.RecoveryHours,
		in.SeismicFixing, in.FloodRisk, in.Documents, in.ReplacementDue, warnings}
}

// UpdateSystem changes a system of the actor's scope. in.Version must be the version the form
// showed; a newer one means someone else saved first (ECONFLICT).
func (db *DB) UpdateSystem(ctx context.Context, actor isms.Actor, id int64, in isms.SystemInput) (isms.System, error) {
	if !isms.SystemEditor(actor) {
		return isms.System{}, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	}
	var after isms.System
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		after, err = updateSystem(ctx, tx, actor, id, in, true)
		return err
	})
	return after, wrap("update system", err)
}

// updateSystem is UpdateSystem inside a transaction; audit as for createSystem.
func updateSystem(ctx context.Context, tx pgx.Tx, actor isms.Actor, id int64, in isms.SystemInput, audit bool) (isms.System, error) {
	in.Normalize()
	if err := in.Validate().Err(); err != nil {
		return isms.System{}, err
	}
	day := actor.Day()
	before, err := findSystem(ctx, tx, actor, id)
	if err != nil {
		return isms.System{}, err
	}
	if !actor.Edits(before.UnitID) {
		return isms.System{}, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	}
	if err := checkSystemUnitAndAdmin(ctx, tx, actor, in, before.UnitID, day); err != nil {
		return isms.System{}, err
	}
	exceptions, err := systemExceptionCodes(ctx, tx, id, day)
	if err != nil {
		return isms.System{}, err
	}
	args := append([]any{id, in.Version}, systemArgs(in, isms.CheckSystem(in, exceptions).Flags())...)
	tag, err := tx.Exec(ctx, `
		UPDATE systems SET code = $3, name = $4, business = $5, unit_id = $6, admin_person_id = nullif($7, 0),
			operators = $8, zone = $9, hosting = $10, standard_system = $11, handles_my_number = $12,
			handles_personal = $13, vendor_dev = $14, vendor_ops = $15, vendor_maint = $16, contract_from = $17,
			contract_to = $18, hardware = $19, location = $20, os_middleware = $21, auth_method = $22,
			mfa_enabled = $23, usb_block_enabled = $24, sanitization_method = $25, external_connections = $26,
			backup = $27, recovery_hours = $28, seismic_fixing = $29, flood_risk = $30, documents = $31,
			replacement_due = $32, warnings = $33, updated_at = now(), version = version + 1
		WHERE id = $1 AND version = $2`, args...)
	if isUniqueViolation(err) {
		return isms.System{}, isms.FieldErrors{"code": "system.error.code_taken"}.Err()
	}
	if err != nil {
		return isms.System{}, err
	}
	if tag.RowsAffected() == 0 {
		return isms.System{}, errConflict("the system")
	}
	after, err := findSystem(ctx, tx, isms.SystemActor("find"), id)
	if err != nil || !audit {
		return after, err
	}
	return after, appendAudit(ctx, tx, actor, "system.update", "system", idString(id), before, after)
}

// checkSystemUnitAndAdmin refuses, beside their fields, a unit the actor may not register systems
// for or that does not exist on day (a system may stay with the closed unit it had, keep), and
// an administrator who does not hold 情報システム管理者 for the unit on day.
func checkSystemUnitAndAdmin(ctx context.Context, tx pgx.Tx, actor isms.Actor, in isms.SystemInput, keep int64, day time.Time) error {
	var open, admin bool
	err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM units u WHERE u.id = $1 AND (u.id = $2 OR `+activeOn("u", "$3")+`)),
			$4 = 0 OR EXISTS (SELECT 1 FROM role_assignments a JOIN people p ON p.id = a.person_id
				WHERE a.person_id = $4 AND a.role_code = $5 AND a.unit_id = $1 AND `+activeOn("a", "$3")+`
					AND `+activeOn("p", "$3")+`)`,
		in.UnitID, keep, day, in.AdminPersonID, isms.RoleCodeSystemAdmin).Scan(&open, &admin)
	if err != nil {
		return err
	}
	fe := isms.FieldErrors{}
	fe.Check(open && actor.Edits(in.UnitID), "unit_id", "validation.choose")
	fe.Check(admin, "admin_person_id", "system.error.not_admin")
	return fe.Err()
}

// systemExceptionCodes are the rules with a 例外措置 for the system that is current on day.
func systemExceptionCodes(ctx context.Context, q querier, systemID int64, day time.Time) (map[string]bool, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT rule_code FROM rule_exceptions WHERE system_id = $1 AND valid_to >= $2::date`,
		systemID, isms.Day(day))
	if err != nil {
		return nil, err
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	m := make(map[string]bool, len(codes))
	for _, c := range codes {
		m[c] = true
	}
	return m, nil
}

// recheckSystem recomputes the 要確認 flags of a system as of day, inside the transaction of a
// change that may alter them without editing the system (a 例外措置 permitted for it, in
// CreateRuleException). It writes no audit event of its own: the change that caused it has one.
func recheckSystem(ctx context.Context, tx pgx.Tx, systemID int64, day time.Time) error {
	s, err := findSystem(ctx, tx, isms.SystemActor("recheck"), systemID)
	if err != nil {
		return err
	}
	exceptions, err := systemExceptionCodes(ctx, tx, systemID, day)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE systems SET warnings = $2 WHERE id = $1`,
		systemID, isms.CheckSystem(s.Input(), exceptions).Flags())
	return err
}

// FindSystemAssets returns the information assets a system holds that the actor sees, those in
// use first, by asset number, and the number of those it holds outside the actor's scope. The
// caller has found the system within the actor's scope.
func (db *DB) FindSystemAssets(ctx context.Context, actor isms.Actor, systemID int64) (assets []isms.SystemAsset, hidden int, err error) {
	levels, err := db.FindLevels(ctx)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.pool.Query(ctx, `
		SELECT a.id, a.number, a.name, a.unit_id, un.name, a.confidentiality, a.integrity, a.availability, a.status,
			$2 OR a.unit_id = ANY($3)
		FROM assets a JOIN units un ON un.id = a.unit_id
		WHERE a.system_id = $1
		ORDER BY a.status = 'disposed', a.number`, systemID, actor.AllUnits, actor.UnitIDs)
	if err != nil {
		return nil, 0, wrap("find system assets", err)
	}
	var a isms.SystemAsset
	var c, i, av string
	var seen bool
	_, err = pgx.ForEachRow(rows, []any{&a.ID, &a.Number, &a.Name, &a.UnitID, &a.UnitName, &c, &i, &av, &a.Status, &seen}, func() error {
		if !seen {
			hidden++
			return nil
		}
		a.C, a.I, a.A = levels[c], levels[i], levels[av]
		assets = append(assets, a)
		return nil
	})
	return assets, hidden, wrap("find system assets", err)
}

// FindSystemHistory returns the newest limit events of a system's change history, newest first,
// with the id to continue from in the audit trail viewer (0 when there are no more). Those who
// review the trail and those who keep the system may read it, for a system within their scope;
// one outside it is ENOTFOUND, as for FindSystem.
func (db *DB) FindSystemHistory(ctx context.Context, actor isms.Actor, systemID int64, limit int) ([]isms.AuditEvent, int64, error) {
	s, err := findSystem(ctx, db.pool, actor, systemID)
	if err != nil {
		return nil, 0, wrap("find system history", err)
	}
	if !actor.Can(isms.PermViewAuditTrail) && !actor.Edits(s.UnitID) {
		return nil, 0, isms.Errorf(isms.EFORBIDDEN, "not permitted")
	}
	events, next, err := db.findAuditEvents(ctx, isms.AuditFilter{EntityType: "system", EntityID: idString(systemID), Limit: limit})
	return events, next, wrap("find system history", err)
}
