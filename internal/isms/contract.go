package isms

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The outsourcing register (業務委託, basic policy §6(8), domain.md §7.1). A contractor (委託先
// 事業者) is chosen for security that fits the work — its certifications (ISMS, Pマーク, ISMAP)
// are recorded — and bound by a contract whose security clauses follow the guideline's list of
// 13 (①–⑬). Each contract belongs to a unit (所管課) whose 情報セキュリティ管理者 checks the
// contractor periodically (定期確認), receives its periodic reports (定期報告), and at the end
// confirms that the town's information was returned or disposed of.
//
// A contract is read by those who see its unit (the security office, the CISO and auditors see
// every unit), changed by those who edit the unit's records, and checked by the unit's 管理者 or
// the security office.

// ContractClauseCount is the number of clauses in the guideline's list; clause n (1..13) is named
// in the catalogue as "contract.clause.<n>".
const ContractClauseCount = 13

// ContractCheckSoonDays is how far ahead a periodic check falls due before it becomes a task.
const ContractCheckSoonDays = 30

// MaxContractCertificate bounds the certificate of return or disposal (a scanned PDF of a page or
// two), as the policy library bounds its PDFs.
const MaxContractCertificate = MaxPolicyAttachment

// PersonalData is the personal information the contractor handles.
type PersonalData string

const (
	PersonalDataNone     PersonalData = "none"      // なし
	PersonalDataPersonal PersonalData = "personal"  // 個人情報
	PersonalDataMyNumber PersonalData = "my_number" // 特定個人情報
)

// PersonalDatas lists the choices in the order forms show them.
var PersonalDatas = []PersonalData{PersonalDataNone, PersonalDataPersonal, PersonalDataMyNumber}

// Valid reports whether p is one of the choices.
func (p PersonalData) Valid() bool { return slices.Contains(PersonalDatas, p) }

// ContractStatus is where a contract is.
type ContractStatus string

const (
	ContractActive ContractStatus = "active" // 契約中
	ContractEnded  ContractStatus = "ended"  // 終了
)

// ContractStatuses lists the statuses in their order.
var ContractStatuses = []ContractStatus{ContractActive, ContractEnded}

// Valid reports whether s is one of the statuses.
func (s ContractStatus) Valid() bool { return slices.Contains(ContractStatuses, s) }

// CheckMethod is how a check was made.
type CheckMethod string

const (
	CheckDocument CheckMethod = "document" // 書面
	CheckOnsite   CheckMethod = "onsite"   // 実地
	CheckAudit    CheckMethod = "audit"    // 監査
)

// CheckMethods lists the methods in the order forms show them.
var CheckMethods = []CheckMethod{CheckDocument, CheckOnsite, CheckAudit}

// Valid reports whether m is one of the methods.
func (m CheckMethod) Valid() bool { return slices.Contains(CheckMethods, m) }

// CheckResult is what a check found.
type CheckResult string

const (
	CheckConforming  CheckResult = "conforming"  // 適合
	CheckImprovement CheckResult = "improvement" // 要改善
)

// CheckResults lists the results in the order forms show them.
var CheckResults = []CheckResult{CheckConforming, CheckImprovement}

// Valid reports whether r is one of the results.
func (r CheckResult) Valid() bool { return slices.Contains(CheckResults, r) }

// Contractor is a firm the town outsources to, with the certifications its selection relied on.
type Contractor struct {
	ID                  int64  `json:"id"`
	Name                string `json:"name"`
	Address             string `json:"address"`
	ISMSCertified       bool   `json:"isms_certified"`
	ISMSNumber          string `json:"isms_number"`
	PMarkCertified      bool   `json:"pmark_certified"`
	PMarkNumber         string `json:"pmark_number"`
	ISMAPListed         bool   `json:"ismap_listed"`
	OtherCertifications string `json:"other_certifications"`
	Notes               string `json:"notes"`
	Version             int    `json:"version"`

	Contracts []Contract `json:"-"` // on its page: the contracts the reader sees
	Editable  bool       `json:"-"` // the reader may change the firm's record
}

// ContractorInput is the contractor form.
type ContractorInput struct {
	Name                string
	Address             string
	ISMSCertified       bool
	ISMSNumber          string
	PMarkCertified      bool
	PMarkNumber         string
	ISMAPListed         bool
	OtherCertifications string
	Notes               string
	Version             int
}

// Normalize trims the text and drops a registration number without its certification.
func (in *ContractorInput) Normalize() {
	for _, s := range []*string{&in.Name, &in.Address, &in.ISMSNumber, &in.PMarkNumber, &in.OtherCertifications, &in.Notes} {
		*s = strings.TrimSpace(*s)
	}
	if !in.ISMSCertified {
		in.ISMSNumber = ""
	}
	if !in.PMarkCertified {
		in.PMarkNumber = ""
	}
}

// Validate checks the form; the keys name catalogue messages.
func (in ContractorInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Name != "", "name", "validation.required")
	checkLengths(fe, map[string]string{"name": in.Name, "address": in.Address, "isms_number": in.ISMSNumber,
		"pmark_number": in.PMarkNumber}, 200)
	checkLengths(fe, map[string]string{"other_certifications": in.OtherCertifications, "notes": in.Notes}, 4000)
	return fe
}

// checkLengths records validation.too_long against each field of fields longer than max characters.
func checkLengths(fe FieldErrors, fields map[string]string, max int) {
	for name, v := range fields {
		fe.Check(utf8.RuneCountInString(v) <= max, name, "validation.too_long")
	}
}

// ContractClause is one of the 13 clauses of a contract's checklist.
type ContractClause struct {
	Clause   int    `json:"clause"` // 1..13
	Included bool   `json:"included"`
	Note     string `json:"note"` // where the contract says it, e.g. 第12条
}

// ContractLink is a system or an incident a contract names.
type ContractLink struct {
	ID   int64  `json:"id"`
	Code string `json:"code"` // the system's code, the incident's number
	Name string `json:"name"`
}

// ContractReport is a periodic report received from the contractor.
type ContractReport struct {
	ID         int64      `json:"id"`
	Period     string     `json:"period"`
	DueOn      *time.Time `json:"due_on"`
	ReceivedOn time.Time  `json:"received_on"`
	Summary    string     `json:"summary"`
}

// ContractCheck is a check of the contractor's measures.
type ContractCheck struct {
	ID            int64       `json:"id"`
	CheckedOn     time.Time   `json:"checked_on"`
	CheckedBy     int64       `json:"checked_by"`
	CheckedByName string      `json:"-"`
	Method        CheckMethod `json:"method"`
	Result        CheckResult `json:"result"`
	Findings      string      `json:"findings"`
	NextDue       *time.Time  `json:"next_due"`
}

// Contract is one contract of the register (委託先管理表).
type Contract struct {
	ID                    int64            `json:"id"`
	Number                string           `json:"number"` // K-00001
	ContractorID          int64            `json:"contractor_id"`
	ContractorName        string           `json:"contractor_name"`
	UnitID                int64            `json:"unit_id"`
	UnitName              string           `json:"-"`
	Title                 string           `json:"title"`
	ExternalNumber        string           `json:"external_number"`
	PeriodFrom            time.Time        `json:"period_from"`
	PeriodTo              time.Time        `json:"period_to"`
	Scope                 string           `json:"scope"`
	PersonalData          PersonalData     `json:"personal_data"`
	LeadName              string           `json:"lead_name"`
	LeadContact           string           `json:"lead_contact"`
	EmergencyContact      string           `json:"emergency_contact"`
	Workers               string           `json:"workers"`
	WorkPlace             string           `json:"work_place"`
	AccessScope           string           `json:"access_scope"`
	AccessMethod          string           `json:"access_method"`
	RemoteMaintenance     bool             `json:"remote_maintenance"`
	RemoteMethod          string           `json:"remote_method"`
	Subcontracting        bool             `json:"subcontracting"`
	SubcontractApprovedBy string           `json:"subcontract_approved_by"`
	SubcontractApprovedOn *time.Time       `json:"subcontract_approved_on"`
	Subcontractor         string           `json:"subcontractor"`
	SLA                   string           `json:"sla"`
	EducationConfirmedOn  *time.Time       `json:"education_confirmed_on"`
	ReportEveryMonths     int              `json:"report_every_months"`
	NextReportDue         *time.Time       `json:"next_report_due"`
	NextCheckDue          *time.Time       `json:"next_check_due"`
	Status                ContractStatus   `json:"status"`
	EndedOn               *time.Time       `json:"ended_on"`
	ReturnedOn            *time.Time       `json:"returned_on"`
	ReturnMethod          string           `json:"return_method"`
	CertificateName       string           `json:"certificate_name"` // "" when none is kept
	Clauses               []ContractClause `json:"clauses"`
	Systems               []ContractLink   `json:"systems"`
	Version               int              `json:"version"`

	Reports   []ContractReport `json:"-"` // newest first (on its page)
	Checks    []ContractCheck  `json:"-"` // newest first (on its page)
	Incidents []ContractLink   `json:"-"` // the linked incidents the reader sees (on its page)
	// HiddenIncidents counts the linked incidents the reader may not see.
	HiddenIncidents int `json:"-"`
}

// Missing are the clauses (1..13) not yet marked included: a clause without a row is missing too.
func (c Contract) Missing() []int {
	included := map[int]bool{}
	for _, k := range c.Clauses {
		if k.Included {
			included[k.Clause] = true
		}
	}
	var out []int
	for n := 1; n <= ContractClauseCount; n++ {
		if !included[n] {
			out = append(out, n)
		}
	}
	return out
}

// Clause is the checklist row of clause n, a blank (missing) one when there is none.
func (c Contract) Clause(n int) ContractClause {
	for _, k := range c.Clauses {
		if k.Clause == n {
			return k
		}
	}
	return ContractClause{Clause: n}
}

// CheckOverdue reports whether the periodic check of an active contract is past its day.
func (c Contract) CheckOverdue(today time.Time) bool {
	return c.Status == ContractActive && c.NextCheckDue != nil && c.NextCheckDue.Before(Day(today))
}

// CheckSoon reports whether the periodic check of an active contract falls due within
// ContractCheckSoonDays of today, or is overdue: the 管理者's task.
func (c Contract) CheckSoon(today time.Time) bool {
	return c.Status == ContractActive && c.NextCheckDue != nil &&
		!c.NextCheckDue.After(Day(today).AddDate(0, 0, ContractCheckSoonDays))
}

// ReportOverdue reports whether a periodic report of an active contract is past its day.
func (c Contract) ReportOverdue(today time.Time) bool {
	return c.Status == ContractActive && c.ReportEveryMonths > 0 && c.NextReportDue != nil && c.NextReportDue.Before(Day(today))
}

// Unreturned reports whether the contract ended without the return or disposal confirmed.
func (c Contract) Unreturned() bool { return c.Status == ContractEnded && c.ReturnedOn == nil }

// Issues are what needs action on the contract on today (要対応), as catalogue key suffixes
// ("contract.issue.<issue>"): the store's filter asks the same in SQL (contractAttention).
func (c Contract) Issues(today time.Time) []string {
	var out []string
	if c.Status == ContractActive && len(c.Missing()) > 0 {
		out = append(out, "clauses")
	}
	if c.CheckOverdue(today) {
		out = append(out, "check_overdue")
	}
	if c.ReportOverdue(today) {
		out = append(out, "report_overdue")
	}
	if c.Unreturned() {
		out = append(out, "unreturned")
	}
	return out
}

// ReadsContract reports whether the actor reads the contracts of unit: those who see the unit or
// manage it; the security office, the CISO and auditors see every unit.
func ReadsContract(a Actor, unit int64) bool { return a.Sees(unit) || a.Manages(unit) }

// EditsContract reports whether the actor registers and changes the contracts of unit: the unit's
// staff and the security office.
func EditsContract(a Actor, unit int64) bool { return a.Edits(unit) }

// ChecksContract reports whether the actor records checks of the contracts of unit: its
// 情報セキュリティ管理者 (or 責任者) and the security office.
func ChecksContract(a Actor, unit int64) bool { return a.Manages(unit) || a.Can(PermEditAllRegisters) }

// ContractInput is the contract form. The contractor is chosen, or registered, by its name.
type ContractInput struct {
	ContractorName        string
	UnitID                int64
	Title                 string
	ExternalNumber        string
	PeriodFrom            *time.Time
	PeriodTo              *time.Time
	Scope                 string
	PersonalData          PersonalData
	LeadName              string
	LeadContact           string
	EmergencyContact      string
	Workers               string
	WorkPlace             string
	AccessScope           string
	AccessMethod          string
	RemoteMaintenance     bool
	RemoteMethod          string
	Subcontracting        bool
	SubcontractApprovedBy string
	SubcontractApprovedOn *time.Time
	Subcontractor         string
	SLA                   string
	EducationConfirmedOn  *time.Time
	ReportEveryMonths     int
	NextReportDue         *time.Time
	NextCheckDue          *time.Time
	SystemIDs             []int64
	Version               int
}

// Normalize trims the text, drops repeated systems, and forgets the details of remote
// maintenance, subcontracting and reports that the form says do not apply.
func (in *ContractInput) Normalize() {
	for _, s := range []*string{&in.ContractorName, &in.Title, &in.ExternalNumber, &in.Scope, &in.LeadName,
		&in.LeadContact, &in.EmergencyContact, &in.Workers, &in.WorkPlace, &in.AccessScope, &in.AccessMethod,
		&in.RemoteMethod, &in.SubcontractApprovedBy, &in.Subcontractor, &in.SLA} {
		*s = strings.TrimSpace(*s)
	}
	if !in.RemoteMaintenance {
		in.RemoteMethod = ""
	}
	if !in.Subcontracting {
		in.SubcontractApprovedBy, in.SubcontractApprovedOn, in.Subcontractor = "", nil, ""
	}
	if in.ReportEveryMonths == 0 {
		in.NextReportDue = nil
	}
	in.SystemIDs = uniqueIDs(in.SystemIDs)
}

// Validate checks the form; the keys name catalogue messages. Subcontracting needs its approval
// and the subcontractor (⑧ 再委託に関する制限事項); a periodic report needs its first due day; and
// every contract has the day of its next check (定期確認).
func (in ContractInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.ContractorName != "", "contractor_name", "validation.required")
	fe.Check(in.UnitID > 0, "unit_id", "validation.choose")
	fe.Check(in.Title != "", "title", "validation.required")
	fe.Check(in.Scope != "", "scope", "validation.required")
	fe.Check(in.PeriodFrom != nil, "period_from", "validation.required")
	fe.Check(in.PeriodTo != nil, "period_to", "validation.required")
	if in.PeriodFrom != nil && in.PeriodTo != nil {
		fe.Check(!in.PeriodTo.Before(*in.PeriodFrom), "period_to", "contract.error.period")
	}
	fe.Check(in.PersonalData.Valid(), "personal_data", "validation.choose")
	if in.RemoteMaintenance {
		fe.Check(in.RemoteMethod != "", "remote_method", "contract.error.remote_method")
	}
	if in.Subcontracting {
		fe.Check(in.Subcontractor != "", "subcontractor", "contract.error.subcontractor")
		fe.Check(in.SubcontractApprovedBy != "" && in.SubcontractApprovedOn != nil, "subcontract_approved_by", "contract.error.subcontract_approval")
	}
	fe.Check(in.ReportEveryMonths >= 0 && in.ReportEveryMonths <= 12, "report_every_months", "validation.choose")
	if in.ReportEveryMonths > 0 {
		fe.Check(in.NextReportDue != nil, "next_report_due", "contract.error.next_report_due")
	}
	fe.Check(in.NextCheckDue != nil, "next_check_due", "validation.required")
	checkLengths(fe, map[string]string{"contractor_name": in.ContractorName, "title": in.Title,
		"external_number": in.ExternalNumber, "lead_name": in.LeadName, "lead_contact": in.LeadContact,
		"emergency_contact": in.EmergencyContact, "subcontract_approved_by": in.SubcontractApprovedBy,
		"subcontractor": in.Subcontractor}, 200)
	checkLengths(fe, map[string]string{"scope": in.Scope, "workers": in.Workers, "work_place": in.WorkPlace,
		"access_scope": in.AccessScope, "access_method": in.AccessMethod, "remote_method": in.RemoteMethod,
		"sla": in.SLA}, 4000)
	return fe
}

// ContractClausesInput is the clause checklist form: one row per clause, 1..13 in order.
type ContractClausesInput struct {
	Clauses []ContractClause
	Version int
}

// Normalize trims the notes and lays the rows out as clauses 1..13, a missing row unticked.
func (in *ContractClausesInput) Normalize() {
	rows := make([]ContractClause, ContractClauseCount)
	for n := range rows {
		rows[n] = ContractClause{Clause: n + 1}
	}
	for _, k := range in.Clauses {
		if k.Clause >= 1 && k.Clause <= ContractClauseCount {
			rows[k.Clause-1] = ContractClause{Clause: k.Clause, Included: k.Included, Note: strings.TrimSpace(k.Note)}
		}
	}
	in.Clauses = rows
}

// Validate checks the notes' length; a row's error is under "clause_<n>".
func (in ContractClausesInput) Validate() FieldErrors {
	fe := FieldErrors{}
	for _, k := range in.Clauses {
		fe.Check(utf8.RuneCountInString(k.Note) <= 200, "clause_"+strconv.Itoa(k.Clause), "validation.too_long")
	}
	return fe
}

// ContractReportInput is the form of a periodic report received.
type ContractReportInput struct {
	Period     string
	DueOn      *time.Time
	ReceivedOn *time.Time
	Summary    string
}

// Validate checks the form against today: a report is not received in the future.
func (in *ContractReportInput) Validate(today time.Time) FieldErrors {
	in.Period, in.Summary = strings.TrimSpace(in.Period), strings.TrimSpace(in.Summary)
	fe := FieldErrors{}
	fe.Check(in.Period != "", "period", "validation.required")
	fe.Check(in.ReceivedOn != nil, "received_on", "validation.required")
	if in.ReceivedOn != nil {
		fe.Check(!in.ReceivedOn.After(Day(today)), "received_on", "contract.error.future")
	}
	checkLengths(fe, map[string]string{"period": in.Period}, 200)
	checkLengths(fe, map[string]string{"summary": in.Summary}, 4000)
	return fe
}

// ContractCheckInput is the form of a check performed.
type ContractCheckInput struct {
	CheckedOn *time.Time
	Method    CheckMethod
	Result    CheckResult
	Findings  string
	NextDue   *time.Time
}

// Validate checks the form against today: a check is recorded once made, what needs improving
// is said, and an active contract's next check is set after this one.
func (in *ContractCheckInput) Validate(today time.Time, active bool) FieldErrors {
	in.Findings = strings.TrimSpace(in.Findings)
	fe := FieldErrors{}
	fe.Check(in.CheckedOn != nil, "checked_on", "validation.required")
	if in.CheckedOn != nil {
		fe.Check(!in.CheckedOn.After(Day(today)), "checked_on", "contract.error.future")
	}
	fe.Check(in.Method.Valid(), "method", "validation.choose")
	fe.Check(in.Result.Valid(), "result", "validation.choose")
	if in.Result == CheckImprovement {
		fe.Check(in.Findings != "", "findings", "contract.error.findings")
	}
	if active {
		fe.Check(in.NextDue != nil, "next_due", "validation.required")
	}
	if in.NextDue != nil && in.CheckedOn != nil {
		fe.Check(in.NextDue.After(*in.CheckedOn), "next_due", "contract.error.next_due")
	}
	checkLengths(fe, map[string]string{"findings": in.Findings}, 4000)
	return fe
}

// ContractEndInput is the form that ends a contract and confirms the return or disposal of the
// town's information (⑨); sent again on an ended contract, it records the confirmation later.
// Certificate is a PDF sent with it, nil to keep the one held.
type ContractEndInput struct {
	EndedOn         *time.Time
	ReturnedOn      *time.Time
	ReturnMethod    string
	Certificate     []byte
	CertificateName string
	Version         int
}

// Validate checks the form against today and the contract's start.
func (in *ContractEndInput) Validate(today, from time.Time) FieldErrors {
	in.ReturnMethod = strings.TrimSpace(in.ReturnMethod)
	fe := FieldErrors{}
	fe.Check(in.EndedOn != nil, "ended_on", "validation.required")
	if in.EndedOn != nil {
		fe.Check(!in.EndedOn.Before(from), "ended_on", "contract.error.ended_before_start")
	}
	if in.ReturnedOn != nil {
		fe.Check(!in.ReturnedOn.After(Day(today)), "returned_on", "contract.error.future")
		fe.Check(in.ReturnMethod != "", "return_method", "contract.error.return_method")
	}
	fe.Check(in.ReturnedOn != nil || in.Certificate == nil, "certificate", "contract.error.certificate_without_return")
	if in.Certificate != nil {
		fe.Check(IsPDF(in.Certificate), "certificate", "contract.error.not_pdf")
		fe.Check(len(in.Certificate) <= MaxContractCertificate, "certificate", "contract.error.too_large")
	}
	checkLengths(fe, map[string]string{"return_method": in.ReturnMethod}, 4000)
	return fe
}

// ContractFilter selects contracts for the list. Attention keeps those that need action (要対応).
type ContractFilter struct {
	UnitID       int64
	Status       ContractStatus
	ContractorID int64
	Query        string // the contractor's name, the contract's title or number
	Attention    bool
	Before       int64 // keyset: ids below this one
	Limit        int
}
