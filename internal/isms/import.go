package isms

import (
	"math"
	"slices"
	"time"
)

// Imports of the registers from spreadsheets (issue: ledger import and export). An import is an
// uploaded file taken through steps: its columns mapped to the register's fields, every row read
// and checked by the same rules as the forms, and, only when no row is bad, every row written in
// one transaction. Nothing of a file is written before all of it is good.

// ImportKind is the register a file is imported into.
type ImportKind string

const (
	ImportAssets  ImportKind = "assets"  // 情報資産管理台帳
	ImportSystems ImportKind = "systems" // 情報システム台帳
	ImportPeople  ImportKind = "people"  // 職員名簿
	// 受講記録: the attendance of one training session (Import.SessionID), from an e-learning system
	ImportAttendance ImportKind = "attendance"
	// 異動一覧: the lines of one draft personnel rotation (Import.RotationID), from personnel's list
	ImportRotation ImportKind = "rotation"
)

// ImportKinds lists the kinds in the order pages offer them.
var ImportKinds = []ImportKind{ImportAssets, ImportSystems, ImportPeople, ImportAttendance, ImportRotation}

// Valid reports whether k is one of the kinds.
func (k ImportKind) Valid() bool { return slices.Contains(ImportKinds, k) }

// ImportMode is whether rows add records or change the ones they name.
type ImportMode string

const (
	ImportAdd    ImportMode = "add"    // every row is a new record
	ImportUpdate ImportMode = "update" // a row changes the record of its number (資産番号, システム番号, 職員番号)
)

// Valid reports whether m is one of the modes.
func (m ImportMode) Valid() bool { return m == ImportAdd || m == ImportUpdate }

// ImportStatus is where an import is in its steps.
type ImportStatus string

const (
	ImportUploaded  ImportStatus = "uploaded"  // read; its mapping waits for confirmation
	ImportChecking  ImportStatus = "checking"  // rows being read and checked
	ImportChecked   ImportStatus = "checked"   // every row checked: Problems lists the bad ones
	ImportImporting ImportStatus = "importing" // being written
	ImportDone      ImportStatus = "done"      // written
	ImportFailed    ImportStatus = "failed"    // stopped; Failure says why
)

// Running reports whether the import has work going on in the background.
func (s ImportStatus) Running() bool { return s == ImportChecking || s == ImportImporting }

// Import is one uploaded file on its way into a register.
type Import struct {
	ID         int64
	Kind       ImportKind
	SessionID  int64 // attendance: the training session the rows go into; 0 for the registers
	RotationID int64 // rotation: the draft rotation the rows become lines of; 0 for the others
	Mode       ImportMode
	FileName   string
	Format     string // xlsx or csv
	Encoding   string // for CSV: UTF-8, UTF-8 (BOM) or Shift_JIS
	Delimiter  string // for CSV
	Sheet      string // for xlsx
	SizeBytes  int64
	HeaderRow  int        // 0-based index of the (last) header row; data starts below it
	HeaderRows int        // 1, or 2 for a two-row header
	Names      []string   // the file's column headers
	Mapping    []string   // per file column: the register field, or "" when the column is ignored
	Samples    [][]string // the first data rows as read, to show beside the mapping
	Status     ImportStatus
	TotalRows  int
	DoneRows   int
	Problems   []ImportProblem
	Preview    [][]string // the first rows as they will be imported, one cell per mapped column
	Imported   int
	Failure    string // catalogue key
	CreatedBy  int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int
}

// ImportProblem is one bad cell or row of a file: where it is, what was read, and why it is bad.
type ImportProblem struct {
	Row    int    `json:"row"`    // spreadsheet row number, as the spreadsheet program shows it
	Column string `json:"column"` // the file's header of the column; "" for the whole row
	Value  string `json:"value"`
	Key    string `json:"key"` // catalogue key of the message
	Args   []any  `json:"args,omitempty"`
}

// NormalizeArgs turns the numbers of Args that came back from JSON as float64 into ints again,
// for messages that format them with %d.
func (p *ImportProblem) NormalizeArgs() {
	for i, a := range p.Args {
		if f, ok := a.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			p.Args[i] = int(f)
		}
	}
}

// ImportExpired is the Failure of an import whose file was dropped because it was left unfinished:
// it cannot go on, and is uploaded again.
const ImportExpired = "import.failure.expired"

// ImportStale is how long a running import may go without progress before its page reports it
// as interrupted (the process that ran it stopped): the check and the write report progress far
// more often than this.
const ImportStale = 2 * time.Minute
