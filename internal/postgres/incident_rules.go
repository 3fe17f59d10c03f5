package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The master data of the incident log: the PPC rules, the categories, and who may be assigned.

func findIncidentRules(ctx context.Context, q querier) (isms.IncidentRules, error) {
	r := isms.IncidentRules{Triggers: map[isms.PPCTrigger]bool{}}
	var sensitive, financial, wrongful, subjects, ordinance, myNumber bool
	err := q.QueryRow(ctx, `
		SELECT trigger_sensitive, trigger_financial, trigger_wrongful, trigger_subjects, trigger_ordinance,
			trigger_my_number, subject_threshold, prelim_days, final_days, final_days_wrongful, soon_days, version
		FROM incident_rules`).Scan(&sensitive, &financial, &wrongful, &subjects, &ordinance, &myNumber,
		&r.SubjectThreshold, &r.PrelimDays, &r.FinalDays, &r.FinalDaysWrongful, &r.SoonDays, &r.Version)
	r.Triggers[isms.TriggerSensitive] = sensitive
	r.Triggers[isms.TriggerFinancial] = financial
	r.Triggers[isms.TriggerWrongful] = wrongful
	r.Triggers[isms.TriggerSubjects] = subjects
	r.Triggers[isms.TriggerOrdinance] = ordinance
	r.Triggers[isms.TriggerMyNumber] = myNumber
	return r, err
}

// FindIncidentRules returns the PPC rules in force.
func (db *DB) FindIncidentRules(ctx context.Context) (isms.IncidentRules, error) {
	r, err := findIncidentRules(ctx, db.pool)
	return r, wrap("find incident rules", err)
}

// UpdateIncidentRules saves the rules (PermHandleIncidents); they apply from the next triage.
// r.Version must be the version the form showed (ECONFLICT otherwise).
func (db *DB) UpdateIncidentRules(ctx context.Context, actor isms.Actor, r isms.IncidentRules) (isms.IncidentRules, error) {
	if err := requirePerm(actor, isms.PermHandleIncidents); err != nil {
		return isms.IncidentRules{}, err
	}
	if err := r.Validate().Err(); err != nil {
		return isms.IncidentRules{}, err
	}
	var after isms.IncidentRules
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findIncidentRules(ctx, tx)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE incident_rules SET trigger_sensitive = $2, trigger_financial = $3, trigger_wrongful = $4,
				trigger_subjects = $5, trigger_ordinance = $6, trigger_my_number = $7, subject_threshold = $8,
				prelim_days = $9, final_days = $10, final_days_wrongful = $11, soon_days = $12,
				updated_at = now(), version = version + 1
			WHERE version = $1`, r.Version,
			r.Triggers[isms.TriggerSensitive], r.Triggers[isms.TriggerFinancial], r.Triggers[isms.TriggerWrongful],
			r.Triggers[isms.TriggerSubjects], r.Triggers[isms.TriggerOrdinance], r.Triggers[isms.TriggerMyNumber],
			r.SubjectThreshold, r.PrelimDays, r.FinalDays, r.FinalDaysWrongful, r.SoonDays)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errConflict("the rules")
		}
		if after, err = findIncidentRules(ctx, tx); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "incident.rules", "incident_rules", "", before, after)
	})
	return after, wrap("update incident rules", err)
}

// FindIncidentCategories returns the categories in their order, retired ones included.
func (db *DB) FindIncidentCategories(ctx context.Context) ([]isms.IncidentCategory, error) {
	rows, err := db.pool.Query(ctx, `SELECT code, threat, name_ja, name_en, active FROM incident_categories
		ORDER BY sort_order, code`)
	if err != nil {
		return nil, wrap("find incident categories", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.IncidentCategory, error) {
		var c isms.IncidentCategory
		err := r.Scan(&c.Code, &c.Threat, &c.NameJa, &c.NameEn, &c.Active)
		return c, err
	})
	return list, wrap("find incident categories", err)
}

// FindIncidentHandlers returns the accounts that may be assigned incidents, for the form: on the
// actor's day, the active accounts of the security office and of the holders of the CSIRT roles
// and of the 窓口, in reading order.
func (db *DB) FindIncidentHandlers(ctx context.Context, actor isms.Actor) ([]isms.User, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+userColumns+` FROM `+userFrom+` WHERE `+incidentHandlerAccount("$1", "$2")+`
		ORDER BY u.display_name_kana, u.display_name, u.id`, actor.Day(), handlerRoles)
	if err != nil {
		return nil, wrap("find incident handlers", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (isms.User, error) { return scanUser(r) })
	return list, wrap("find incident handlers", err)
}
