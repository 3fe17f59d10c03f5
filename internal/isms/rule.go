package isms

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Severity is what breaking a rule does: an error refuses the save (the form keeps what was
// typed); a warning saves and flags the record 要確認.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Rule is one of the register's rules (domain.md §1.4 V-A1 to V-A7, §8.4 zone rules). Its
// message, in the catalogue under "rule.<code>", says what to fix.
type Rule struct {
	Code     string
	Severity Severity
	Field    string // the form field the message stands beside
}

// The rules that CheckAsset and CheckSystem apply. V-A2 and V-A3 (approval before transport,
// provision and disposal; the disposal record) are enforced by the request workflow.
var (
	RuleLevels         = Rule{"V-A1", SeverityError, "confidentiality"} // C, I and A chosen, of the active scheme
	RuleMediumContents = Rule{"V-A4", SeverityError, "content_ids"}     // a medium at least as high as its contents
	RuleAvailability   = Rule{"V-A5", SeverityWarning, "backup_policy"} // 可用性2 ⇒ backup and recovery time
	RuleIntegrity      = Rule{"V-A6", SeverityWarning, "backup_policy"} // 完全性2 ⇒ backup
	RuleSocialMedia    = Rule{"V-A7", SeverityError, "confidentiality"} // no 2以上 in a social-media account
	RuleMyNumberZone   = Rule{"Z-1", SeverityError, "zone"}             // 特定個人情報 ⇒ マイナンバー利用事務系
	RuleMyNumberLevel  = Rule{"Z-2", SeverityError, "confidentiality"}  // 特定個人情報 ⇒ at least 3B
	RuleZoneRequired   = Rule{"Z-3", SeverityError, "zone"}             // electronic assets sit in a zone
	RuleMyNumberSystem = Rule{"Z-4", SeverityWarning, "mfa_enabled"}    // a マイナンバー system ⇒ MFA and USB blocking
	// 2以上 only in an external service approved for the asset's level; never in a social media
	// account (domain.md §7.3, §7.4).
	RuleServiceLevel       = Rule{"V-S1", SeverityError, "outsourced_to"}
	RuleSocialAccountLevel = Rule{"V-S2", SeverityError, "outsourced_to"}
)

// Rules lists every rule in the order pages show them.
var Rules = []Rule{RuleLevels, RuleMediumContents, RuleAvailability, RuleIntegrity, RuleSocialMedia,
	RuleMyNumberZone, RuleMyNumberLevel, RuleZoneRequired, RuleMyNumberSystem, RuleServiceLevel, RuleSocialAccountLevel}

// Finding is a rule an asset or system breaks. Excepted marks a break covered by a current
// 例外措置: tracked, not refused.
type Finding struct {
	Rule
	Excepted bool
}

// Findings are the results of checking a record.
type Findings []Finding

// Blocking reports whether any finding refuses the save.
func (fs Findings) Blocking() bool {
	for _, f := range fs {
		if f.Severity == SeverityError && !f.Excepted {
			return true
		}
	}
	return false
}

// Errors returns the blocking findings as field errors, each message beside its field.
func (fs Findings) Errors() FieldErrors {
	fe := FieldErrors{}
	for _, f := range fs {
		if f.Severity == SeverityError && !f.Excepted {
			fe.Check(false, f.Field, "rule."+f.Code)
		}
	}
	return fe
}

// Flags returns the codes of the findings that a saved record carries as 要確認: the warnings and
// the excepted errors.
func (fs Findings) Flags() []string {
	flags := []string{}
	for _, f := range fs {
		if f.Severity == SeverityWarning || f.Excepted {
			flags = append(flags, f.Code)
		}
	}
	return flags
}

// RuleContext is what the rules need besides the input: the master data and the record's
// surroundings, loaded by the store in the saving transaction.
type RuleContext struct {
	Levels     map[string]Level     // every level, by code
	Types      map[string]AssetType // every asset type, by code
	Scheme     Scheme               // the active scheme
	ContentMax map[Axis]int         // for a medium: the highest rank of its contents per axis
	Exceptions map[string]bool      // rule codes with a current 例外措置 for this record
	Outsourced OutsourceTarget      // the asset's 委託先・外部サービス; zero for none
}

// CheckAsset applies the rules to an asset about to be saved.
func CheckAsset(in AssetInput, rc RuleContext) Findings {
	var fs Findings
	add := func(broken bool, r Rule) {
		if broken {
			fs = append(fs, Finding{Rule: r, Excepted: rc.Exceptions[r.Code]})
		}
	}
	c, okC := rc.Levels[in.C]
	i, okI := rc.Levels[in.I]
	a, okA := rc.Levels[in.A]
	okC = okC && c.Axis == AxisC && c.SchemeCode == rc.Scheme.Code
	okI = okI && i.Axis == AxisI && i.SchemeCode == rc.Scheme.Code
	okA = okA && a.Axis == AxisA && a.SchemeCode == rc.Scheme.Code
	if !okC || !okI || !okA {
		// Without the levels the other rules cannot be judged; name each missing axis.
		for _, m := range []struct {
			ok    bool
			field string
		}{{okC, "confidentiality"}, {okI, "integrity"}, {okA, "availability"}} {
			if !m.ok {
				fs = append(fs, Finding{Rule: Rule{RuleLevels.Code, SeverityError, m.field}})
			}
		}
		return fs
	}
	typ := rc.Types[in.Type]
	if in.Type == AssetTypeMedia {
		add(c.Rank < rc.ContentMax[AxisC] || i.Rank < rc.ContentMax[AxisI] || a.Rank < rc.ContentMax[AxisA], RuleMediumContents)
	}
	add(a.AtLeastTwo() && (in.BackupPolicy == "" || in.RecoveryHours == nil), RuleAvailability)
	add(i.AtLeastTwo() && in.BackupPolicy == "", RuleIntegrity)
	add(in.Type == AssetTypeSNS && c.AtLeastTwo(), RuleSocialMedia)
	if in.ContainsMyNumber {
		add(in.Zone != ZoneMyNumber, RuleMyNumberZone)
		add(c.Rank < rc.Levels[rc.Scheme.MyNumberMinLevel].Rank, RuleMyNumberLevel)
	}
	add((typ.Electronic || in.Form != FormPaper) && in.Zone == "", RuleZoneRequired)
	switch rc.Outsourced.Kind {
	case OutsourceExternalService:
		add(c.AtLeastTwo() && rc.Outsourced.ApprovedRank < c.Rank, RuleServiceLevel)
	case OutsourceSocialAccount:
		add(c.AtLeastTwo(), RuleSocialAccountLevel)
	}
	return fs
}

// RuleException is a 例外措置: a rule a record may break, permitted by the CISO until ValidTo.
type RuleException struct {
	ID         int64     `json:"id"`
	AssetID    int64     `json:"asset_id"`
	SystemID   int64     `json:"system_id"`
	RuleCode   string    `json:"rule_code"`
	Reason     string    `json:"reason"`
	Measures   string    `json:"measures"` // 代替措置
	ApprovedBy int64     `json:"approved_by"`
	ApprovedAt time.Time `json:"approved_at"`
	ValidTo    time.Time `json:"valid_to"`

	ApprovedByName string `json:"-"`
}

// RuleByCode returns the rule with the code, and whether there is one.
func RuleByCode(code string) (Rule, bool) {
	for _, r := range Rules {
		if r.Code == code {
			return r, true
		}
	}
	return Rule{}, false
}

// Normalize trims the text of an exception.
func (e *RuleException) Normalize() {
	e.RuleCode = strings.TrimSpace(e.RuleCode)
	e.Reason = strings.TrimSpace(e.Reason)
	e.Measures = strings.TrimSpace(e.Measures)
}

// Validate checks an exception about to be granted on day today: a known rule, a reason, and an
// end that has not passed.
func (e RuleException) Validate(today time.Time) FieldErrors {
	fe := FieldErrors{}
	_, known := RuleByCode(e.RuleCode)
	fe.Check(known, "rule_code", "validation.choose")
	fe.Check(e.Reason != "", "reason", "validation.required")
	fe.Check(utf8.RuneCountInString(e.Reason) <= 2000, "reason", "validation.too_long")
	fe.Check(utf8.RuneCountInString(e.Measures) <= 2000, "measures", "validation.too_long")
	fe.Check(!e.ValidTo.IsZero(), "valid_to", "validation.required")
	fe.Check(e.ValidTo.IsZero() || !Day(e.ValidTo).Before(Day(today)), "valid_to", "exception.error.valid_to_past")
	return fe
}
