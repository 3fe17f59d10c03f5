package ledger

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"github.com/jichitai-isms/isms/internal/i18n"
)

// Sheet is a register as written to a file. Title is printed above the header of an xlsx (e.g.
// 情報資産管理台帳); Columns give the widths and Headers the translated header texts, one per
// column. A row's cells are a string, an int or *int, a time.Time or *time.Time (a date), or nil
// (empty); the caller renders yes/no and choices as text.
type Sheet struct {
	Name    string
	Title   string
	Columns []Column
	Headers []string
	Rows    [][]any
}

// How the files write dates, and how the xlsx looks and prints.
const (
	dateFormat  = "yyyy/m/d"
	csvDate     = "2006/1/2"
	titleSize   = 14
	headerFill  = "D9E1F2"
	borderColor = "808080"
	paperA4     = 9
)

// WriteXLSX writes s as a workbook of one sheet, streamed row by row so that a register of any
// size fits in little memory: the title (bold, larger) if any, the header (bold, shaded, with
// borders, wrapped), then the rows, with dates as date cells (yyyy/m/d). The pane is frozen below
// the header, the header and rows carry an auto-filter, and printing is landscape A4, one page
// wide, with the header repeated on every page. Text is always written as text, never as a
// formula.
func WriteXLSX(w io.Writer, s Sheet) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.SetSheetName(f.GetSheetName(0), s.Name); err != nil {
		return err
	}
	header := 1
	if s.Title != "" {
		header = 2
	}
	cols := len(s.Headers)
	last, err := excelize.ColumnNumberToName(max(cols, 1))
	if err != nil {
		return err
	}
	// The sheet's settings go in before the stream starts: the stream writes them out from the
	// sheet as it stands. The auto-filter replaces the sheet's properties, so it comes first.
	if err := f.AutoFilter(s.Name, fmt.Sprintf("A%d:%s%d", header, last, header+len(s.Rows)), nil); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(s.Name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	size, landscape, wide, tall := paperA4, "landscape", 1, 0
	if err := f.SetPageLayout(s.Name, &excelize.PageLayoutOptions{Size: &size, Orientation: &landscape,
		FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("%s!$%d:$%d", quoteSheet(s.Name), header, header), Scope: s.Name}); err != nil {
		return err
	}
	title := s.Title
	if title == "" {
		title = s.Name
	}
	// Without these, the file would claim excelize's template author and a 2006 date.
	now := time.Now().UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: i18n.Ja.T("app.name"),
		LastModifiedBy: i18n.Ja.T("app.name"), Created: now, Modified: now}); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}

	sw, err := f.NewStreamWriter(s.Name)
	if err != nil {
		return err
	}
	for i, c := range s.Columns {
		if i < cols && c.Width > 0 {
			if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
				return err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: header, TopLeftCell: fmt.Sprintf("A%d", header+1),
		ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if s.Title != "" {
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.title, Value: s.Title}}); err != nil {
			return err
		}
	}
	cells := make([]any, cols)
	for i, h := range s.Headers {
		cells[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", header), cells); err != nil {
		return err
	}
	for r, row := range s.Rows {
		for i := range cells {
			cells[i] = nil
			if i < len(row) {
				if cells[i], err = st.cell(row[i]); err != nil {
					return fmt.Errorf("ledger: row %d column %d: %w", r+1, i+1, err)
				}
			}
		}
		if err := sw.SetRow("A"+strconv.Itoa(header+1+r), cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// quoteSheet writes a sheet name as formulas refer to it.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// styles are the xlsx's cell styles.
type styles struct {
	title, header, text, number, date int
}

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: borderColor, Style: 1}, {Type: "right", Color: borderColor, Style: 1},
		{Type: "top", Color: borderColor, Style: 1}, {Type: "bottom", Color: borderColor, Style: 1},
	}
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	numFmt := dateFormat
	var st styles
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: titleSize}}},
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{headerFill}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.text, excelize.Style{Border: border, Alignment: top}},
		{&st.number, excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&st.date, excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top"}, CustomNumFmt: &numFmt}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, err
		}
		*s.id = id
	}
	return st, nil
}

// cell is the stream writer's cell for a value of a row.
func (st styles) cell(v any) (any, error) {
	switch v := v.(type) {
	case nil:
		return excelize.Cell{StyleID: st.text}, nil
	case string:
		return excelize.Cell{StyleID: st.text, Value: v}, nil
	case int:
		return excelize.Cell{StyleID: st.number, Value: v}, nil
	case int64:
		return excelize.Cell{StyleID: st.number, Value: v}, nil
	case *int:
		if v == nil {
			return excelize.Cell{StyleID: st.text}, nil
		}
		return excelize.Cell{StyleID: st.number, Value: *v}, nil
	case time.Time:
		return excelize.Cell{StyleID: st.date, Value: dayOf(v)}, nil
	case *time.Time:
		if v == nil {
			return excelize.Cell{StyleID: st.text}, nil
		}
		return excelize.Cell{StyleID: st.date, Value: dayOf(*v)}, nil
	}
	return nil, fmt.Errorf("cell of type %T", v)
}

// dayOf is the calendar day of t, in t's own location, as excelize writes a day: midnight UTC.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// formulaStart reports whether a text starting with c would be taken by a spreadsheet program
// for a formula (or, after a tab or carriage return, be made one by some).
func formulaStart(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// csvText renders a value of a row as a CSV cell; a text that could run as a formula when the
// file is opened gets a leading apostrophe, which shows it is text (CSV injection).
func csvText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		if v != "" && formulaStart(v[0]) {
			return "'" + v, nil
		}
		return v, nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case *int:
		if v == nil {
			return "", nil
		}
		return strconv.Itoa(*v), nil
	case time.Time:
		return v.Format(csvDate), nil
	case *time.Time:
		if v == nil {
			return "", nil
		}
		return v.Format(csvDate), nil
	}
	return "", fmt.Errorf("ledger: cell of type %T", v)
}

// WriteCSV writes s's header and rows (not its title) as CSV with CRLF line ends, in enc:
// UTF-8, UTF-8 with a byte order mark (which Excel needs to read UTF-8), or Shift_JIS (CP932).
// For Shift_JIS, the characters that CP932 holds under another code point of the same glyph are
// written as CP932 does (〜 as ～, − as －, see cp932Variants), and every cell holding characters
// it cannot encode at all (𠮷, emoji …) is a problem, with the 1-based line (the header is line
// 1), the column's header and the characters; and when there is any, nothing is written.
func WriteCSV(w io.Writer, enc Encoding, s Sheet) ([]Problem, error) {
	switch enc {
	case UTF8:
	case UTF8BOM:
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
	case ShiftJIS:
		if problems, err := unencodable(s); problems != nil || err != nil {
			return problems, err
		}
		tw := transform.NewWriter(w, japanese.ShiftJIS.NewEncoder())
		if err := writeCSV(tw, s, toCP932); err != nil {
			return nil, err
		}
		return nil, tw.Close()
	default:
		return nil, fmt.Errorf("ledger: unknown encoding %q", enc)
	}
	return nil, writeCSV(w, s, func(v string) string { return v })
}

// cp932Variants maps the characters that JIS X 0208 and CP932 (Windows' Shift_JIS, which the
// encoder follows) give different code points for the same glyph, to CP932's: text typed on a
// Mac or taken from JIS sources uses the former, and Excel shows both the same.
var cp932Variants = map[rune]rune{
	'\u301C': '\uFF5E', // 〜 WAVE DASH → ～
	'\u2016': '\u2225', // ‖ → ∥
	'\u2212': '\uFF0D', // − MINUS SIGN → －
	'\u00A2': '\uFFE0', // ¢ → ￠
	'\u00A3': '\uFFE1', // £ → ￡
	'\u00AC': '\uFFE2', // ¬ → ￢
	'\u2014': '\u2015', // — EM DASH → ―
}

// toCP932 replaces the cp932Variants of v, allocating only when there is one.
func toCP932(v string) string {
	for i, r := range v {
		if _, ok := cp932Variants[r]; ok {
			return v[:i] + strings.Map(cp932Rune, v[i:])
		}
	}
	return v
}

func cp932Rune(r rune) rune {
	if c, ok := cp932Variants[r]; ok {
		return c
	}
	return r
}

// writeCSV writes the header and rows, each cell through conv.
func writeCSV(w io.Writer, s Sheet, conv func(string) string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	record := make([]string, len(s.Headers))
	for i, h := range s.Headers {
		record[i] = conv(csvHeader(h))
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	for _, row := range s.Rows {
		for i := range record {
			record[i] = ""
			if i < len(row) {
				var err error
				if record[i], err = csvText(row[i]); err != nil {
					return err
				}
				record[i] = conv(record[i])
			}
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvHeader guards a header like any text.
func csvHeader(h string) string {
	v, _ := csvText(h)
	return v
}

// unencodable lists the cells of s that Shift_JIS cannot hold.
func unencodable(s Sheet) ([]Problem, error) {
	c := sjisChecker{enc: japanese.ShiftJIS.NewEncoder(), known: map[rune]bool{}}
	var problems []Problem
	check := func(line, col int, v string) {
		if bad := c.missing(v); bad != "" {
			problems = append(problems, Problem{Row: line, Column: sheetHeader(s, col), Value: v,
				Key: "ledger.problem.unencodable", Args: []any{bad}})
		}
	}
	for i, h := range s.Headers {
		check(1, i, csvHeader(h))
	}
	for r, row := range s.Rows {
		for i := range s.Headers {
			if i >= len(row) {
				break
			}
			v, err := csvText(row[i])
			if err != nil {
				return nil, err
			}
			check(r+2, i, v)
		}
	}
	return problems, nil
}

func sheetHeader(s Sheet, col int) string {
	if col < len(s.Headers) {
		return s.Headers[col]
	}
	return ""
}

// sjisChecker finds the characters Shift_JIS cannot encode, remembering each character's answer.
type sjisChecker struct {
	enc   *encoding.Encoder
	known map[rune]bool
}

// missing returns the characters of v that cannot be encoded, each once, in order.
func (c sjisChecker) missing(v string) string {
	var bad []rune
	for _, r := range v {
		if r < utf8.RuneSelf {
			continue
		}
		r = cp932Rune(r)
		ok, seen := c.known[r]
		if !seen {
			_, err := c.enc.String(string(r))
			ok = err == nil
			c.known[r] = ok
		}
		if !ok && !slices.Contains(bad, r) {
			bad = append(bad, r)
		}
	}
	return string(bad)
}
