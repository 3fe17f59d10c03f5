package isms

import (
	"bytes"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The policy library (domain.md §9) and its review cycles (§6.3): the documents of the
// information security policy — 基本方針, 対策基準, 実施手順 and others — each with who may read
// it, its versions from draft to publication, and the reviews that keep it current. A version is
// approved by the CISO or for the committee, never by anyone who wrote it (兼務の禁止, §2.3); the
// security office publishes it, and the version it replaces is superseded.

// PolicyVisibility says who may read a document.
type PolicyVisibility string

const (
	VisibilityPublic     PolicyVisibility = "public"     // 公開: the town may publish it; every signed-in person reads it here
	VisibilityInternal   PolicyVisibility = "internal"   // 庁内限定: every signed-in person
	VisibilityRestricted PolicyVisibility = "restricted" // 関係者限り: the named units and role holders, and those who oversee the policy
)

// PolicyVisibilities are the visibilities in the order forms offer them.
var PolicyVisibilities = []PolicyVisibility{VisibilityPublic, VisibilityInternal, VisibilityRestricted}

// Valid reports whether v is one of the visibilities.
func (v PolicyVisibility) Valid() bool { return slices.Contains(PolicyVisibilities, v) }

// PolicyDocumentKind is a kind of document with the visibility and acknowledgement a new document
// of the kind starts from: master data the town keeps.
type PolicyDocumentKind struct {
	Code               string
	NameJa, NameEn     string
	DefaultVisibility  PolicyVisibility
	DefaultAcknowledge bool
}

// Name is the kind's name in lang.
func (k PolicyDocumentKind) Name(lang string) string { return pick(lang, k.NameJa, k.NameEn) }

// PolicyDocument is a document of the policy. The fields after Version are read with it for the
// pages: the version in force, the reviews not completed, and the names of the readers.
type PolicyDocument struct {
	ID              int64              `json:"id"`
	Kind            string             `json:"kind"`
	Title           string             `json:"title"`
	Visibility      PolicyVisibility   `json:"visibility"`
	OwnerUnitID     int64              `json:"owner_unit_id"`
	ReviewMonths    int                `json:"review_months"`
	NextReviewOn    *time.Time         `json:"next_review_on"`
	MustAcknowledge bool               `json:"must_acknowledge"`
	ReaderUnitIDs   []int64            `json:"reader_unit_ids"`
	ReaderRoles     []SecurityRoleCode `json:"reader_roles"`
	Version         int                `json:"version"`

	OwnerUnitName   string     `json:"-"`
	ReaderUnitNames []string   `json:"-"`
	PublishedID     int64      `json:"-"` // 0: nothing published yet
	PublishedLabel  string     `json:"-"`
	PublishedOn     *time.Time `json:"-"` // the effective day of the version in force
	OpenReviews     int        `json:"-"` // reviews not completed
	OverdueReviews  int        `json:"-"` // of those, the ones past their due day on the day read
}

// ReviewDue reports whether the document's next review day has passed on today with no review
// under way to carry it out.
func (d PolicyDocument) ReviewDue(today time.Time) bool {
	return d.NextReviewOn != nil && d.NextReviewOn.Before(Day(today)) && d.OpenReviews == 0
}

// NeedsReview reports whether the document stands out on the library: a review overdue, or a
// review day passed with none scheduled.
func (d PolicyDocument) NeedsReview(today time.Time) bool {
	return d.OverdueReviews > 0 || d.ReviewDue(today)
}

// PolicyDocumentInput is the security office's form of a document.
type PolicyDocumentInput struct {
	Kind            string
	Title           string
	Visibility      PolicyVisibility
	OwnerUnitID     int64
	ReviewMonths    int
	NextReviewOn    *time.Time
	MustAcknowledge bool
	ReaderUnitIDs   []int64
	ReaderRoles     []SecurityRoleCode
	Version         int
}

// Normalize trims the title and forgets the readers of a document everyone may read.
func (in *PolicyDocumentInput) Normalize() {
	in.Title = strings.TrimSpace(in.Title)
	if in.Visibility != VisibilityRestricted {
		in.ReaderUnitIDs, in.ReaderRoles = nil, nil
	}
}

// Validate checks the form against the kinds the town keeps; the keys name catalogue messages.
func (in PolicyDocumentInput) Validate(kinds []string) FieldErrors {
	fe := FieldErrors{}
	fe.Check(slices.Contains(kinds, in.Kind), "kind", "validation.choose")
	fe.Check(in.Title != "", "title", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Title) <= 200, "title", "validation.too_long")
	fe.Check(in.Visibility.Valid(), "visibility", "validation.choose")
	fe.Check(in.Visibility != VisibilityRestricted || len(in.ReaderUnitIDs)+len(in.ReaderRoles) > 0,
		"readers", "library.error.readers")
	fe.Check(in.ReviewMonths >= 1 && in.ReviewMonths <= 120, "review_months", "library.error.review_months")
	return fe
}

// DocumentVersionStatus is where a version stands in its workflow.
type DocumentVersionStatus string

const (
	VersionDraft      DocumentVersionStatus = "draft"
	VersionInReview   DocumentVersionStatus = "in_review"
	VersionApproved   DocumentVersionStatus = "approved"
	VersionPublished  DocumentVersionStatus = "published"
	VersionSuperseded DocumentVersionStatus = "superseded"
)

// DocumentVersion is a version of a document. EditorIDs are the accounts that wrote or submitted
// it: none of them may approve it.
type DocumentVersion struct {
	ID                  int64                 `json:"id"`
	DocumentID          int64                 `json:"document_id"`
	Label               string                `json:"label"`
	Status              DocumentVersionStatus `json:"status"`
	Body                string                `json:"body"`
	ChangeSummary       string                `json:"change_summary"`
	EditorIDs           []int64               `json:"editor_ids"`
	AssigneeID          int64                 `json:"assignee_id"`
	SubmittedAt         *time.Time            `json:"submitted_at"`
	ApprovedAt          *time.Time            `json:"approved_at"`
	ApprovedBy          int64                 `json:"approved_by"`
	ApprovedByCommittee bool                  `json:"approved_by_committee"`
	CommitteeMeetingOn  *time.Time            `json:"committee_meeting_on"`
	ApprovalNote        string                `json:"approval_note"`
	PublishedAt         *time.Time            `json:"published_at"`
	EffectiveOn         *time.Time            `json:"effective_on"`
	SupersededAt        *time.Time            `json:"superseded_at"`
	Version             int                   `json:"version"`

	CreatedAt      time.Time       `json:"-"`
	UpdatedAt      time.Time       `json:"-"`
	AssigneeName   string          `json:"-"`
	ApprovedByName string          `json:"-"`
	Attachment     *AttachmentInfo `json:"-"`
	ReviewID       int64           `json:"-"` // the review whose "revise" opened the draft, 0 for none
}

// EditedBy reports whether the account wrote or submitted the version.
func (v DocumentVersion) EditedBy(userID int64) bool { return slices.Contains(v.EditorIDs, userID) }

// AttachmentInfo describes a version's PDF without its content.
type AttachmentInfo struct {
	FileName   string
	Size       int
	UploadedAt time.Time
}

// PolicyAttachment is a version's PDF, to download.
type PolicyAttachment struct {
	AttachmentInfo
	Content []byte
}

// MaxPolicyAttachment bounds a version's PDF: a policy document is text, and a scan of it stays
// well under this.
const MaxPolicyAttachment = 10 << 20

// IsPDF reports whether content starts as a PDF file does, whatever name or type it was sent with.
func IsPDF(content []byte) bool { return bytes.HasPrefix(content, []byte("%PDF-")) }

// DocumentVersionInput is the form of a draft.
type DocumentVersionInput struct {
	Label         string
	Body          string
	ChangeSummary string
	Version       int
}

// Normalize trims the label and summary, and the trailing spaces of the body's lines (which a
// difference would show as changes nobody can see).
func (in *DocumentVersionInput) Normalize() {
	in.Label = strings.TrimSpace(in.Label)
	in.ChangeSummary = strings.TrimSpace(in.ChangeSummary)
	lines := strings.Split(strings.ReplaceAll(in.Body, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\u3000")
	}
	in.Body = strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// Validate checks the draft; the keys name catalogue messages.
func (in DocumentVersionInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Label != "", "label", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Label) <= 100, "label", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.Body) <= 200_000, "body", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.ChangeSummary) <= 4000, "change_summary", "validation.too_long")
	return fe
}

// PolicyApproval is the approval of a version in review: by the CISO, or recorded for the
// committee with the day of its meeting.
type PolicyApproval struct {
	ByCommittee bool
	MeetingOn   *time.Time
	Note        string
	Version     int
}

// Validate checks the approval; the keys name catalogue messages.
func (in PolicyApproval) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(!in.ByCommittee || in.MeetingOn != nil, "meeting_on", "library.error.meeting_on")
	fe.Check(utf8.RuneCountInString(in.Note) <= 2000, "approval_note", "validation.too_long")
	return fe
}

// ErrOwnVersion refuses the approval of a version by someone who wrote or submitted it.
var ErrOwnVersion = Errorf(EFORBIDDEN, "a version cannot be approved by anyone who wrote or submitted it")

// SeesAllPolicies reports whether the actor reads every document, the restricted ones too: the
// security office that keeps the library, the CISO, auditors (who check compliance with it), and
// the committee's members (who approve its versions).
func SeesAllPolicies(a Actor) bool {
	switch {
	case a.System, a.Role == RoleSecurityOffice, a.Role == RoleCISO, a.Role == RoleAuditor:
		return true
	}
	return slices.ContainsFunc([]SecurityRoleCode{RoleCodeCISO, RoleCodeAuditor, "AUDIT_LEAD", RoleCodeCommittee}, a.Holds)
}

// MayApprovePolicies reports whether the actor approves versions: the CISO (by portal role or by
// the role held) and the committee's members, who record the committee's decision.
func MayApprovePolicies(a Actor) bool {
	return a.System || a.Role == RoleCISO || a.Holds(RoleCodeCISO) || a.Holds(RoleCodeCommittee)
}

// ApprovesAsCISO reports whether the actor may approve in their own name, not only for the committee.
func ApprovesAsCISO(a Actor) bool { return a.System || a.Role == RoleCISO || a.Holds(RoleCodeCISO) }

// PolicyPublication is the security office's publication of an approved version.
type PolicyPublication struct {
	EffectiveOn *time.Time
	Version     int
}

// Validate checks the publication; the keys name catalogue messages.
func (in PolicyPublication) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.EffectiveOn != nil, "effective_on", "validation.required")
	return fe
}

// ReviewReason is why a review was scheduled.
type ReviewReason string

const (
	ReviewScheduled ReviewReason = "scheduled" // the cycle's review (yearly by default)
	ReviewEvent     ReviewReason = "event"     // an event calls for it
)

// ReviewTrigger is the kind of event that called for a review.
type ReviewTrigger string

const (
	TriggerIncident          ReviewTrigger = "incident"
	TriggerAuditFinding      ReviewTrigger = "audit_finding"
	TriggerGuidelineRevision ReviewTrigger = "guideline_revision"
	TriggerOtherEvent        ReviewTrigger = "other"
)

// ReviewTriggers are the events in the order forms offer them.
var ReviewTriggers = []ReviewTrigger{TriggerIncident, TriggerAuditFinding, TriggerGuidelineRevision, TriggerOtherEvent}

// NamesRecord reports whether the trigger is a record of the portal, named by its id.
func (t ReviewTrigger) NamesRecord() bool { return t == TriggerIncident || t == TriggerAuditFinding }

// ReviewStatus is where a review stands.
type ReviewStatus string

const (
	ReviewOpen      ReviewStatus = "open"      // waiting for the reviewer's outcome
	ReviewRevising  ReviewStatus = "revising"  // "revise": the draft it opened is not published yet
	ReviewCompleted ReviewStatus = "completed" // "no change", or the revision published
)

// ReviewOutcome is what the reviewer decided.
type ReviewOutcome string

const (
	OutcomeNoChange ReviewOutcome = "no_change"
	OutcomeRevise   ReviewOutcome = "revise"
)

// PolicyReview is a review of a document.
type PolicyReview struct {
	ID             int64         `json:"id"`
	DocumentID     int64         `json:"document_id"`
	ReviewerID     int64         `json:"reviewer_id"`
	DueOn          time.Time     `json:"due_on"`
	Reason         ReviewReason  `json:"reason"`
	TriggerKind    ReviewTrigger `json:"trigger_kind"`
	TriggerID      int64         `json:"trigger_id"`
	Note           string        `json:"note"`
	Status         ReviewStatus  `json:"status"`
	Outcome        ReviewOutcome `json:"outcome"`
	OutcomeNote    string        `json:"outcome_note"`
	DecidedAt      *time.Time    `json:"decided_at"`
	CompletedOn    *time.Time    `json:"completed_on"`
	DraftVersionID int64         `json:"draft_version_id"`
	Version        int           `json:"version"`

	DocumentTitle string `json:"-"`
	ReviewerName  string `json:"-"`
}

// Overdue reports whether the review is not completed and its due day has passed on today.
func (r PolicyReview) Overdue(today time.Time) bool {
	return r.Status != ReviewCompleted && r.DueOn.Before(Day(today))
}

// PolicyReviewInput is the security office's form scheduling a review.
type PolicyReviewInput struct {
	ReviewerID  int64
	DueOn       *time.Time
	Reason      ReviewReason
	TriggerKind ReviewTrigger
	TriggerID   int64
	Note        string
}

// Normalize trims the note and forgets a trigger a scheduled review does not have.
func (in *PolicyReviewInput) Normalize() {
	in.Note = strings.TrimSpace(in.Note)
	if in.Reason != ReviewEvent {
		in.TriggerKind, in.TriggerID = "", 0
	}
	if !in.TriggerKind.NamesRecord() {
		in.TriggerID = 0
	}
}

// Validate checks the form; the keys name catalogue messages.
func (in PolicyReviewInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.ReviewerID > 0, "reviewer", "validation.choose")
	fe.Check(in.DueOn != nil, "due_on", "validation.required")
	fe.Check(in.Reason == ReviewScheduled || in.Reason == ReviewEvent, "reason", "validation.choose")
	if in.Reason == ReviewEvent {
		fe.Check(slices.Contains(ReviewTriggers, in.TriggerKind), "trigger_kind", "validation.choose")
		fe.Check(!in.TriggerKind.NamesRecord() || in.TriggerID > 0, "trigger_id", "library.error.trigger_id")
		fe.Check(in.TriggerKind.NamesRecord() || in.Note != "", "note", "library.error.trigger_note")
	}
	fe.Check(utf8.RuneCountInString(in.Note) <= 2000, "note", "validation.too_long")
	return fe
}

// PolicyReviewDecision is the reviewer's outcome; Label names the draft "revise" opens.
type PolicyReviewDecision struct {
	Outcome ReviewOutcome
	Note    string
	Label   string
	Version int
}

// Normalize trims what was typed.
func (in *PolicyReviewDecision) Normalize() {
	in.Note = strings.TrimSpace(in.Note)
	in.Label = strings.TrimSpace(in.Label)
	if in.Outcome != OutcomeRevise {
		in.Label = ""
	}
}

// Validate checks the outcome; the keys name catalogue messages.
func (in PolicyReviewDecision) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Outcome == OutcomeNoChange || in.Outcome == OutcomeRevise, "outcome", "validation.choose")
	fe.Check(in.Outcome != OutcomeRevise || in.Label != "", "label", "library.error.draft_label")
	fe.Check(utf8.RuneCountInString(in.Label) <= 100, "label", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.Note) <= 2000, "outcome_note", "validation.too_long")
	return fe
}

// BodyBlock is a part of a version's body as pages show it: a heading (Level 2 or 3) or a
// paragraph (Level 0), whose lines stay as written.
type BodyBlock struct {
	Level int
	Text  string
}

// ParseBody reads a body written as plain text: a line starting with "#" is a heading, with "##"
// a subheading; blank lines separate paragraphs.
func ParseBody(body string) []BodyBlock {
	var blocks []BodyBlock
	var para []string
	flush := func() {
		if len(para) > 0 {
			blocks = append(blocks, BodyBlock{Text: strings.Join(para, "\n")})
			para = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
		case strings.HasPrefix(trimmed, "##"):
			flush()
			blocks = append(blocks, BodyBlock{Level: 3, Text: strings.TrimSpace(strings.TrimLeft(trimmed, "#"))})
		case strings.HasPrefix(trimmed, "#"):
			flush()
			blocks = append(blocks, BodyBlock{Level: 2, Text: strings.TrimSpace(strings.TrimLeft(trimmed, "#"))})
		default:
			para = append(para, line)
		}
	}
	flush()
	return blocks
}

// DiffOp is what a line of a difference did.
type DiffOp byte

const (
	DiffSame    DiffOp = ' '
	DiffAdded   DiffOp = '+'
	DiffRemoved DiffOp = '-'
)

// DiffLine is a line of a difference between two texts.
type DiffLine struct {
	Op   DiffOp
	Text string
}

// diffCells bounds the table of the longest common subsequence: beyond it (texts of thousands of
// changed lines each) the changed middle is shown as removed and added whole, which is still
// true, only longer.
const diffCells = 4_000_000

// LineDiff is the difference between texts a and b line by line: the lines they share (a longest
// common subsequence) kept, the others removed from a or added from b, removals first.
func LineDiff(a, b string) []DiffLine {
	x, y := splitLines(a), splitLines(b)
	// The lines both texts start and end with need no table.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var out []DiffLine
	for _, l := range x[:pre] {
		out = append(out, DiffLine{DiffSame, l})
	}
	out = append(out, lcsDiff(x[pre:len(x)-suf], y[pre:len(y)-suf])...)
	for _, l := range x[len(x)-suf:] {
		out = append(out, DiffLine{DiffSame, l})
	}
	return out
}

func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// lcsDiff walks the table of common subsequence lengths of the suffixes of x and y.
func lcsDiff(x, y []string) []DiffLine {
	var out []DiffLine
	if len(x)*len(y) > diffCells {
		for _, l := range x {
			out = append(out, DiffLine{DiffRemoved, l})
		}
		for _, l := range y {
			out = append(out, DiffLine{DiffAdded, l})
		}
		return out
	}
	n, m := len(x), len(y)
	// lcs[i*(m+1)+j] is the length of the longest common subsequence of x[i:] and y[j:].
	lcs := make([]int32, (n+1)*(m+1))
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i*(m+1)+j] = lcs[(i+1)*(m+1)+j+1] + 1
			} else {
				lcs[i*(m+1)+j] = max(lcs[(i+1)*(m+1)+j], lcs[i*(m+1)+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case x[i] == y[j]:
			out = append(out, DiffLine{DiffSame, x[i]})
			i, j = i+1, j+1
		case lcs[(i+1)*(m+1)+j] >= lcs[i*(m+1)+j+1]:
			out = append(out, DiffLine{DiffRemoved, x[i]})
			i++
		default:
			out = append(out, DiffLine{DiffAdded, y[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, DiffLine{DiffRemoved, x[i]})
	}
	for ; j < m; j++ {
		out = append(out, DiffLine{DiffAdded, y[j]})
	}
	return out
}

// PolicyDocumentFilter selects documents of the library: of one kind ("" all), and only those
// that need a review on the reader's day (PolicyDocument.NeedsReview).
type PolicyDocumentFilter struct {
	Kind        string
	NeedsReview bool
}
