package isms

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"
)

// AuditEvent is one row of the append-only audit trail. Before and After hold the record as
// it was and as it became (JSON), so that a reader can see exactly what changed.
type AuditEvent struct {
	ID         int64
	At         time.Time
	ActorID    int64
	ActorLabel string
	Action     string // verb.noun, e.g. "asset.update", "schema.migrate"
	EntityType string
	EntityID   string
	Before     json.RawMessage
	After      json.RawMessage
	RequestID  string
	ClientAddr string
}

// AuditActions lists the actions the portal records, in the order the viewer's filter offers
// them. Each has a label in the message catalogue ("audit.action.<action>"); add new ones here.
var AuditActions = []string{
	"auth.login", "auth.login_failed", "auth.logout",
	"user.create", "user.update", "user.suspend", "user.reactivate", "user.retire",
	"user.reset_password", "user.reset_mfa",
	"user.change_password", "user.update_preferences", "user.enrol_mfa", "user.new_recovery_codes",
	"unit.create", "unit.update", "unit.close", "setting.update", "schema.migrate",
	// approvals of transport, provision and disposal; the yearly ledger confirmation (棚卸)
	"asset_request.create", "asset_request.approve", "asset_request.refuse", "asset_request.withdraw",
	"asset_request.complete", "asset.dispose", "ledger.confirm",
	// the system register (情報システム台帳)
	"system.create", "system.update",
	// the asset register (情報資産管理台帳) and the CISO's 例外措置
	"asset.create", "asset.update", "asset.exception", "system.exception",
	// the classification standard (分類基準) and the scheme switch, with the assets it maps
	"level.update", "level.set_restrictions", "restriction.update", "scheme.switch",
	"asset.remap", "asset.confirm_reclassification",
	// the incident log: intake, triage, workflow, timeline, actions, outside reports; the PPC rules
	"incident.create", "incident.triage", "incident.move", "incident.assign", "incident.event",
	"incident.action", "incident.action_done", "incident.report", "incident.report_update", "incident.rules",
	// the policy library and its reviews
	"policy_document.create", "policy_document.update", "policy_document.draft", "policy_document.edit_draft",
	"policy_document.delete_draft", "policy_document.submit", "policy_document.return", "policy_document.approve",
	"policy_document.publish", "policy_document.attach", "policy_document.detach",
	"policy_document.schedule_review", "policy_document.review_outcome", "policy_version.create", "policy.acknowledge",
	// self-inspections
	"inspection.checklist_create", "inspection.checklist_update", "inspection.checklist_status", "inspection.checklist_version",
	"inspection.item_save", "inspection.item_delete", "inspection.campaign_create", "inspection.campaign_update",
	"inspection.campaign_open", "inspection.campaign_close", "inspection.campaign_report",
	"inspection.answer", "inspection.submit", "inspection.reopen", "inspection.measure_done",
	// audits
	"security_audit_plan.save", "security_audit_plan.approve", "security_audit.create", "security_audit.update",
	"security_audit.note", "audit_finding.create", "corrective_action.create", "corrective_action.done",
	"corrective_action.verify", "corrective_action.reopen", "audit_check.request", "audit_check.answer",
	// the committee
	"committee_meeting.create", "committee_meeting.update", "committee_meeting.agenda_add",
	"committee_meeting.agenda_remove", "committee_meeting.decide",
	"improvement_plan.item_add", "improvement_plan.item_update", "improvement_plan.item_remove",
	"improvement_plan.progress", "improvement_plan.approve", "improvement_plan.withdraw",
	// external (cloud) services
	"external_service.create", "external_service.update", "external_service.approve", "external_service.approve_level",
	"external_service.reject", "external_service.request_level", "external_service.lower", "external_service.review",
	"external_service.end", "external_service.confirm_deletion",
	// social media accounts
	"social_account.create", "social_account.update", "social_account.owner", "social_account.request_opening",
	"social_account.approve_opening", "social_account.status", "social_account.check",
	// the outsourcing register (業務委託)
	"contract.create", "contract.update", "contract.clauses", "contract.report", "contract.check", "contract.end",
	"contract.link_incident", "contract.unlink_incident", "contractor.create", "contractor.update",
}

// AuditEntityTypes lists the kinds of record the trail names, for the viewer's filter; each has
// a label in the message catalogue ("audit.entity.<type>").
var AuditEntityTypes = []string{"user", "unit", "setting", "schema", "asset_request", "system", "asset", "scheme", "level", "restriction", "incident", "incident_rules", "policy_document", "policy_version", "inspection_checklist", "inspection_campaign", "inspection_sheet", "security_audit_plan", "security_audit", "audit_finding", "committee_meeting", "improvement_plan", "social_account", "contract", "contractor", "external_service"}

// AuditFilter selects events of the audit trail. Empty fields and zero times select everything.
type AuditFilter struct {
	Actor      string // the actor's label (login id), matched exactly but case-insensitively
	EntityType string
	EntityID   string // needs EntityType: an id means nothing without its kind of record
	Action     string
	From, To   time.Time // whole days in Japan time, both inclusive: the Japan date of each counts
	Before     int64     // keyset: only events with an id below this one (0: from the newest)
	Limit      int       // page size; the store applies its default and maximum
}

// Validate checks the combination of criteria; the keys name catalogue messages.
func (f AuditFilter) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(f.EntityID == "" || f.EntityType != "", "entity_type", "audit.error.entity_type_required")
	fe.Check(f.From.IsZero() || f.To.IsZero() || !dayOf(f.To).Before(dayOf(f.From)), "to", "audit.error.range")
	return fe
}

// japanTime is Japan Standard Time; Japan keeps no daylight saving time.
var japanTime = time.FixedZone("JST", 9*60*60)

// dayOf is the Japan date of t, as midnight UTC, so that dates compare as dates.
func dayOf(t time.Time) time.Time {
	y, m, d := t.In(japanTime).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AuditChange is one difference between the record before and after an event, with the values
// written out for reading: strings as they are, anything else as compact JSON, "" for absent.
type AuditChange struct {
	Field         string // top-level key; "" when the values are not JSON objects
	Before, After string
}

// AuditChanges lists what an event changed: the top-level fields of the two JSON objects whose
// values differ, sorted by field. A creation (before null) lists every field of after, a
// deletion (after null) every field of before. Values that are not objects compare as a whole,
// under the field "". Text that is not JSON is shown as it is.
func AuditChanges(before, after json.RawMessage) []AuditChange {
	bFields, bKind := auditFields(before)
	aFields, aKind := auditFields(after)
	switch {
	case bKind == jsonAbsent && aKind == jsonAbsent:
		return nil
	case bKind == jsonOther || aKind == jsonOther:
		if bKind == aKind && canonicalJSON(before) == canonicalJSON(after) {
			return nil
		}
		return []AuditChange{{Before: auditText(before, bKind), After: auditText(after, aKind)}}
	}
	keys := slices.Collect(maps.Keys(bFields))
	for k := range aFields {
		if _, ok := bFields[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var changes []AuditChange
	for _, k := range keys {
		bv, inB := bFields[k]
		av, inA := aFields[k]
		if inB && inA && canonicalJSON(bv) == canonicalJSON(av) {
			continue
		}
		changes = append(changes, AuditChange{Field: k, Before: auditText(bv, presence(inB)), After: auditText(av, presence(inA))})
	}
	return changes
}

// jsonKind tells apart the shapes AuditChanges handles differently.
type jsonKind int

const (
	jsonAbsent jsonKind = iota // nothing, or null
	jsonObject
	jsonOther // any other JSON value, or text that is not JSON
)

func presence(ok bool) jsonKind {
	if ok {
		return jsonOther
	}
	return jsonAbsent
}

// auditFields reads one side of an event: its fields when it is a JSON object.
func auditFields(raw json.RawMessage) (map[string]json.RawMessage, jsonKind) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil, jsonAbsent
	}
	var fields map[string]json.RawMessage
	if trimmed[0] == '{' && json.Unmarshal(trimmed, &fields) == nil {
		return fields, jsonObject
	}
	return nil, jsonOther
}

// canonicalJSON writes a JSON value compactly with object keys sorted and without HTML escaping,
// so that equal values written differently compare equal. Text that is not JSON stays as it is.
func canonicalJSON(raw json.RawMessage) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		return string(bytes.TrimSpace(raw))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return string(bytes.TrimSpace(raw))
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// auditText is a value for reading: "" when absent, a string without its quotes, else JSON.
func auditText(raw json.RawMessage, kind jsonKind) string {
	if kind == jsonAbsent {
		return ""
	}
	var s string
	if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 && trimmed[0] == '"' && json.Unmarshal(trimmed, &s) == nil {
		return s
	}
	return canonicalJSON(raw)
}
