package isms

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Approvals of the handling of information assets (domain.md §1.4, V-A2 and V-A3): transporting
// (運搬), providing outside (外部提供) or disposing of (廃棄) an asset at 自治体機密性2以上 needs the
// permission of the unit's 情報セキュリティ管理者, never given by the person who asks (兼務の禁止).
// A disposal is completed with its record (廃棄記録), which alone sets an asset 廃棄済.

// RequestKind is what a request asks to do with an asset.
type RequestKind string

const (
	RequestTransport RequestKind = "transport" // 運搬
	RequestProvide   RequestKind = "provide"   // 外部提供
	RequestDispose   RequestKind = "dispose"   // 廃棄
)

// RequestKinds lists the kinds in the order pages show them.
var RequestKinds = []RequestKind{RequestTransport, RequestProvide, RequestDispose}

// Valid reports whether k is one of the kinds.
func (k RequestKind) Valid() bool { return slices.Contains(RequestKinds, k) }

// RequestStatus is where a request is in its life.
type RequestStatus string

const (
	RequestPending   RequestStatus = "pending"   // 承認待ち
	RequestApproved  RequestStatus = "approved"  // 承認済 (to be done and recorded)
	RequestRefused   RequestStatus = "refused"   // 不承認, with the reason
	RequestCompleted RequestStatus = "completed" // 完了 (the disposal record, or the day it was done)
	RequestWithdrawn RequestStatus = "withdrawn" // 取下げ
)

// Open reports whether the request still waits for a decision or for being done.
func (s RequestStatus) Open() bool { return s == RequestPending || s == RequestApproved }

// DisposalMethod is how the data of a disposed asset was made irrecoverable (復元不可能な処理).
type DisposalMethod string

const (
	DisposalInitialise DisposalMethod = "initialise"         // 初期化 (データ消去)
	DisposalPhysical   DisposalMethod = "physical"           // 物理破壊
	DisposalMelt       DisposalMethod = "melt"               // 溶解
	DisposalShred      DisposalMethod = "shred"              // シュレッダー
	DisposalVendor     DisposalMethod = "vendor_certificate" // 委託業者による消去証明
)

// DisposalMethods lists the methods in the order forms offer them.
var DisposalMethods = []DisposalMethod{DisposalInitialise, DisposalPhysical, DisposalMelt, DisposalShred, DisposalVendor}

// Valid reports whether m is one of the methods.
func (m DisposalMethod) Valid() bool { return slices.Contains(DisposalMethods, m) }

// NeedsApproval reports whether handling an asset whose confidentiality has rank cRank needs the
// 管理者's permission: from 自治体機密性2 up (V-A2).
func NeedsApproval(cRank int) bool { return cRank >= ThresholdRank }

// AssetRequest is a request to transport, provide or dispose of an asset, with its decision and,
// once done, its completion: the day done, or for a disposal the disposal record.
type AssetRequest struct {
	ID            int64         `json:"id"`
	AssetID       int64         `json:"asset_id"`
	Kind          RequestKind   `json:"kind"`
	Detail        string        `json:"detail"` // destination, recipient, purpose, reason
	Method        string        `json:"method"` // how: lockable case, encryption, password
	PlannedOn     *time.Time    `json:"planned_on"`
	NeedsApproval bool          `json:"needs_approval"`
	RequestedBy   int64         `json:"requested_by"`
	RequestedAt   time.Time     `json:"requested_at"`
	Status        RequestStatus `json:"status"`
	DecidedBy     int64         `json:"decided_by"`
	DecidedAt     *time.Time    `json:"decided_at"`
	DecisionNote  string        `json:"decision_note"`
	DoneOn        *time.Time    `json:"done_on"`
	CompletedBy   int64         `json:"completed_by"`
	CompletedAt   *time.Time    `json:"completed_at"`
	Disposal      Disposal      `json:"disposal"`
	Version       int           `json:"version"`

	// For reading: the asset and the people, as they are named now.
	AssetNumber     string      `json:"-"`
	AssetName       string      `json:"-"`
	AssetC          string      `json:"-"` // the asset's confidentiality level code
	AssetStatus     AssetStatus `json:"-"`
	UnitID          int64       `json:"-"`
	UnitName        string      `json:"-"`
	RequestedByName string      `json:"-"`
	DecidedByName   string      `json:"-"`
	CompletedByName string      `json:"-"`
}

// Disposal is the disposal record (廃棄記録, V-A3): when, by whom, how, and the evidence (the
// certificate number, the photograph's file, the witness).
type Disposal struct {
	At       *time.Time     `json:"disposed_at"`
	By       string         `json:"disposed_by"`
	Method   DisposalMethod `json:"method"`
	Evidence string         `json:"evidence"`
}

// AssetRequestInput is what the person asking types.
type AssetRequestInput struct {
	Kind      RequestKind
	Detail    string
	Method    string
	PlannedOn *time.Time
}

// Normalize trims the text fields.
func (in *AssetRequestInput) Normalize() {
	in.Detail = strings.TrimSpace(in.Detail)
	in.Method = strings.TrimSpace(in.Method)
}

// Validate checks the input; the keys name catalogue messages.
func (in AssetRequestInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Kind.Valid(), "kind", "validation.choose")
	fe.Check(in.Detail != "", "detail", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Detail) <= 1000, "detail", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.Method) <= 500, "method", "validation.too_long")
	return fe
}

// RequestDecision is the 管理者's answer: approve, or refuse with the reason. Version is the
// request's version the page showed.
type RequestDecision struct {
	Approve bool
	Note    string
	Version int
}

// Normalize trims the note.
func (d *RequestDecision) Normalize() { d.Note = strings.TrimSpace(d.Note) }

// Validate checks the decision: a refusal says why.
func (d RequestDecision) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(d.Approve || d.Note != "", "note", "request.error.refusal_note")
	fe.Check(utf8.RuneCountInString(d.Note) <= 1000, "note", "validation.too_long")
	return fe
}

// RequestCompletion records that an approved request was done: the day for a transport or a
// provision, the disposal record for a disposal. Today is the day it is recorded: nothing is done
// in the future (zero skips that check).
type RequestCompletion struct {
	DoneOn   *time.Time
	Disposal Disposal
	Version  int
	Today    time.Time
}

// Normalize trims the text of the record.
func (c *RequestCompletion) Normalize() {
	c.Disposal.By = strings.TrimSpace(c.Disposal.By)
	c.Disposal.Evidence = strings.TrimSpace(c.Disposal.Evidence)
}

// Validate checks the completion of a request of kind k. A disposal record needs every field
// (V-A3); the others need the day done.
func (c RequestCompletion) Validate(k RequestKind) FieldErrors {
	fe := FieldErrors{}
	notFuture := func(d *time.Time) bool { return d == nil || c.Today.IsZero() || !Day(*d).After(Day(c.Today)) }
	if k != RequestDispose {
		fe.Check(c.DoneOn != nil, "done_on", "validation.required")
		fe.Check(notFuture(c.DoneOn), "done_on", "request.error.future")
		return fe
	}
	d := c.Disposal
	fe.Check(d.At != nil, "disposed_at", "validation.required")
	fe.Check(notFuture(d.At), "disposed_at", "request.error.future")
	fe.Check(d.By != "", "disposed_by", "validation.required")
	fe.Check(utf8.RuneCountInString(d.By) <= 200, "disposed_by", "validation.too_long")
	fe.Check(d.Method.Valid(), "disposal_method", "request.error.disposal_method")
	fe.Check(d.Evidence != "", "evidence", "validation.required")
	fe.Check(utf8.RuneCountInString(d.Evidence) <= 1000, "evidence", "validation.too_long")
	return fe
}

// LedgerConfirmation is a unit's 棚卸 of one fiscal year: its 管理者 confirmed the unit's ledger,
// which then held AssetCount assets, OverdueCount of them past their review date.
type LedgerConfirmation struct {
	UnitID          int64     `json:"unit_id"`
	FiscalYear      int       `json:"fiscal_year"`
	ConfirmedBy     int64     `json:"confirmed_by"`
	ConfirmedAt     time.Time `json:"confirmed_at"`
	Note            string    `json:"note"`
	AssetCount      int       `json:"asset_count"`
	OverdueCount    int       `json:"overdue_count"`
	ConfirmedByName string    `json:"-"`
}

// LedgerStatus is one 課 on the ledger overview of a fiscal year: its confirmation, if any.
type LedgerStatus struct {
	Unit         Unit
	Confirmation *LedgerConfirmation
}

// ValidateLedgerNote checks the note of a confirmation.
func ValidateLedgerNote(note string) FieldErrors {
	fe := FieldErrors{}
	fe.Check(utf8.RuneCountInString(note) <= 1000, "note", "validation.too_long")
	return fe
}

// FiscalYearOf is the fiscal year (年度, April to March) of a day in Japan.
func FiscalYearOf(t time.Time) int {
	d := Day(t)
	if d.Month() < time.April {
		return d.Year() - 1
	}
	return d.Year()
}
