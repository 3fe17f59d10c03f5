// Package ledger reads and writes the registers as spreadsheets: .xlsx workbooks and .csv files
// in UTF-8 or Shift_JIS (CP932), the way towns keep their 情報資産管理台帳 today. It knows the
// registers' columns and the many ways people write their values (和暦 dates, full-width digits,
// 自治体機密性3B or 3B), but nothing of the database: the caller passes the master data it needs
// as Lookups and gets back the registers' inputs, or every problem with its row and column.
package ledger

import "fmt"

// Format is the kind of file.
type Format string

const (
	XLSX Format = "xlsx"
	CSV  Format = "csv"
)

// Encoding is the character encoding of a CSV file (an xlsx is always Unicode).
type Encoding string

const (
	UTF8     Encoding = "UTF-8"
	UTF8BOM  Encoding = "UTF-8 (BOM)"
	ShiftJIS Encoding = "Shift_JIS"
)

// Limits bound what a file may hold, so that one upload cannot exhaust the server.
type Limits struct {
	Rows          int   // data rows and headers together
	Columns       int   // columns of the widest row
	ExpandedBytes int64 // an xlsx's parts once unzipped
}

// DefaultLimits fit the largest ledger a town keeps with room to spare.
var DefaultLimits = Limits{Rows: 200_000, Columns: 200, ExpandedBytes: 200 << 20}

// Table is a file's cells as text, row by row, as read: the first sheet of a workbook, or the
// records of a CSV file.
type Table struct {
	Format    Format
	Encoding  Encoding // CSV only
	Delimiter rune     // CSV only
	Sheet     string   // xlsx only
	Rows      [][]string
}

// Refusal is why a whole file cannot be read: Key names a catalogue message, Args fill it.
type Refusal struct {
	Key  string
	Args []any
}

func (r *Refusal) Error() string { return fmt.Sprintf("ledger: %s %v", r.Key, r.Args) }

// Header is where a table's column headers are and which field each column feeds.
type Header struct {
	Row     int      // 0-based index of the last header row; data starts on the next row
	Rows    int      // 1, or 2 for a header of two rows (merged group cells above the names)
	Names   []string // one per column: the header as shown (two-row headers joined as "上 下")
	Mapping []string // one per column: a Column.Key of the layout, or "" for a column not imported
}

// Problem is one bad cell or row: Row is the spreadsheet row number as a spreadsheet program shows
// it (1-based), Column the file's header name ("" for the whole row), Field the layout's column
// key, Value what was read, Key the catalogue message and Args its arguments.
type Problem struct {
	Row    int
	Column string
	Field  string
	Value  string
	Key    string
	Args   []any
}
