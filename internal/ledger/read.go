package ledger

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"
)

// Catalogue keys of the refusals Read returns.
const (
	refusedType      = "ledger.refused.type"               // Args: the file's extension, or its name when it has none
	refusedEmpty     = "ledger.refused.empty"              // no cell holds anything
	refusedXLS       = "ledger.refused.xls"                // an Excel 97-2003 .xls, or another OLE2 file
	refusedEncrypted = "ledger.refused.encrypted"          // a workbook saved with a password to open it
	refusedNotXLSX   = "ledger.refused.not_xlsx"           // named .xlsx but not a readable workbook
	refusedNotCSV    = "ledger.refused.not_csv"            // named .csv but binary
	refusedEncoding  = "ledger.refused.encoding"           // text in neither UTF-8 nor Shift_JIS
	refusedSyntax    = "ledger.refused.csv_syntax"         // Args: the line where a quoted cell opens and never closes
	refusedExpanded  = "ledger.refused.too_large_expanded" // Args: Limits.ExpandedBytes in MB
	refusedFormula   = "ledger.refused.formula"            // Args: the cell (C5) of a formula without its result
	refusedRows      = "ledger.refused.too_many_rows"      // Args: Limits.Rows
	refusedColumns   = "ledger.refused.too_many_columns"   // Args: Limits.Columns
)

var (
	zipMagic = []byte("PK\x03\x04")
	// oleMagic starts an OLE2 compound file: Excel 97-2003 workbooks, and also .xlsx files saved
	// with a password, which Office wraps in one.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	utf8BOM  = []byte{0xEF, 0xBB, 0xBF}
)

// xlsxXMLInMemory is the largest worksheet excelize keeps in memory; a larger one goes to a
// temporary file and is streamed from there.
const xlsxXMLInMemory = 16 << 20

// Zip entries that expand more than bombRatio times their compressed size, and to more than
// bombMinSize, are zip bombs: the parts of real workbooks compress by far less.
const (
	bombRatio   = 200
	bombMinSize = 1 << 20
)

func refuse(key string, args ...any) *Refusal { return &Refusal{Key: key, Args: args} }

// Read reads a whole upload (the caller bounds its size) into a Table: the first visible
// worksheet of an .xlsx or .xlsm workbook, or the records of a .csv, .txt or .tsv file. The
// content decides the format and the name's extension is a claim to check: a workbook is read as
// one whatever its name, text named .xlsx is refused, and a binary file named .csv too. An Excel
// 97-2003 workbook (.xls) is refused with advice to save it as .xlsx. A zero field of lim takes
// its value from DefaultLimits.
//
// Every cell is trimmed of spaces at its ends (the full-width U+3000 too) and loses its carriage
// returns. Rows keep their numbers — Rows[i] is the row a spreadsheet program shows as i+1, empty
// rows included — and are ragged: each ends at its last non-empty cell, and the empty rows at the
// end of the file are dropped.
//
// In a workbook a cell reads as it is displayed (its number format applied), except that a cell
// formatted as a date reads as YYYY-MM-DD, its time of day dropped. A formula reads as its result
// as last saved; a formula saved without one is refused, since nothing here computes it. The
// value of a merged range is copied into every cell of the range, so that a header merged over
// two rows or over a group of columns names each column it covers.
//
// A CSV file is UTF-8, with or without a byte order mark, or Shift_JIS (Windows' CP932); its
// delimiter is the comma, the tab or the semicolon, found from its first lines.
//
// The error is a *Refusal when the file cannot be read as a table, and another error only when r
// fails.
func Read(r io.Reader, name string, lim Limits) (*Table, error) {
	lim = withDefaults(lim)
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	base := name[strings.LastIndexAny(name, `/\`)+1:]
	ext := strings.ToLower(path.Ext(base))
	var notOurs *Refusal // how to refuse a zip that is not a workbook, or text, given the name
	switch ext {
	case ".xlsx", ".xlsm":
		notOurs = refuse(refusedNotXLSX)
	case ".xls":
		// Not read, but named so that the refusal can say what to do: save it as .xlsx.
		notOurs = refuse(refusedXLS)
	case ".csv", ".txt", ".tsv":
	case "":
		return nil, refuse(refusedType, base)
	default:
		return nil, refuse(refusedType, ext)
	}
	switch {
	case len(data) == 0:
		return nil, refuse(refusedEmpty)
	case bytes.HasPrefix(data, oleMagic):
		if encryptedPackage(data) {
			return nil, refuse(refusedEncrypted)
		}
		return nil, refuse(refusedXLS)
	case bytes.HasPrefix(data, zipMagic):
		if notOurs == nil {
			notOurs = refuse(refusedNotCSV)
		}
		return readXLSX(data, lim, notOurs)
	case notOurs != nil:
		return nil, notOurs
	}
	return readCSV(data, lim)
}

func withDefaults(lim Limits) Limits {
	if lim.Rows <= 0 {
		lim.Rows = DefaultLimits.Rows
	}
	if lim.Columns <= 0 {
		lim.Columns = DefaultLimits.Columns
	}
	if lim.ExpandedBytes <= 0 {
		lim.ExpandedBytes = DefaultLimits.ExpandedBytes
	}
	return lim
}

// encryptedPackage reports whether an OLE2 file is an Office document encrypted with a password
// (ECMA-376 agile or standard encryption), which keeps the real workbook in a stream of that name.
func encryptedPackage(data []byte) bool {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return false
	}
	for _, f := range doc.File {
		if f.Name == "EncryptedPackage" {
			return true
		}
	}
	return false
}

// tableBuilder collects rows as they are read, checking the limits as it goes, so that a file
// over them is refused at the first row past a limit.
type tableBuilder struct {
	lim     Limits
	rows    [][]string
	n       int // rows seen, empty ones included
	pending int // empty rows seen since the last non-empty one: kept only if one follows
	scratch []string
}

// add takes the next row's cells as read.
func (b *tableBuilder) add(cells []string) error {
	b.n++
	row := b.normalise(cells)
	if row == nil {
		b.pending++
		return nil
	}
	if b.n > b.lim.Rows {
		return refuse(refusedRows, b.lim.Rows)
	}
	if len(row) > b.lim.Columns {
		return refuse(refusedColumns, b.lim.Columns)
	}
	for ; b.pending > 0; b.pending-- {
		b.rows = append(b.rows, nil)
	}
	b.rows = append(b.rows, row)
	return nil
}

// normalise trims every cell and returns the row up to its last non-empty cell in a slice of its
// own (the input may be reused by its reader), or nil for an empty row.
func (b *tableBuilder) normalise(cells []string) []string {
	b.scratch = b.scratch[:0]
	last := -1
	for i, c := range cells {
		c = normaliseCell(c)
		b.scratch = append(b.scratch, c)
		if c != "" {
			last = i
		}
	}
	if last < 0 {
		return nil
	}
	return append([]string(nil), b.scratch[:last+1]...)
}

func normaliseCell(s string) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r", "")
	}
	// unicode.IsSpace covers the ideographic space U+3000 that Japanese input leaves.
	return strings.TrimFunc(s, unicode.IsSpace)
}

func (b *tableBuilder) table() (*Table, error) {
	if len(b.rows) == 0 {
		return nil, refuse(refusedEmpty)
	}
	return &Table{Rows: b.rows}, nil
}

// ---- CSV ----

func readCSV(data []byte, lim Limits) (*Table, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		// UTF-16, as Excel's "Unicode text" saves: text, but in an encoding not accepted.
		return nil, refuse(refusedEncoding)
	}
	if binary(data) {
		return nil, refuse(refusedNotCSV)
	}
	var (
		text string
		enc  Encoding
	)
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		if !utf8.Valid(data[len(utf8BOM):]) {
			return nil, refuse(refusedEncoding)
		}
		text, enc = string(data[len(utf8BOM):]), UTF8BOM
	case utf8.Valid(data):
		text, enc = string(data), UTF8
	default:
		// The decoder writes U+FFFD for each byte sequence Shift_JIS does not have, a character
		// Shift_JIS cannot encode: finding one means the file is in some other encoding.
		decoded, err := japanese.ShiftJIS.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(decoded, utf8.RuneError) {
			return nil, refuse(refusedEncoding)
		}
		text, enc = string(decoded), ShiftJIS
	}
	delim := detectDelimiter(text)
	if line, open := scanCSV(text, delim, -1).openQuote(); open {
		return nil, refuse(refusedSyntax, line)
	}

	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	b := tableBuilder{lim: lim}
	lastLine := 0 // the line the previous record ended on
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, refuse(refusedSyntax, pe.StartLine)
		} else if err != nil {
			return nil, err
		}
		// encoding/csv skips blank lines, which a spreadsheet program shows as empty rows: put
		// them back so that row numbers match what the user sees.
		start, _ := cr.FieldPos(0)
		for ; lastLine+1 < start; lastLine++ {
			if err := b.add(nil); err != nil {
				return nil, err
			}
		}
		end, _ := cr.FieldPos(len(rec) - 1)
		lastLine = end + strings.Count(rec[len(rec)-1], "\n")
		if err := b.add(rec); err != nil {
			return nil, err
		}
	}
	t, err := b.table()
	if err != nil {
		return nil, err
	}
	t.Format, t.Encoding, t.Delimiter = CSV, enc, delim
	return t, nil
}

// binary reports whether data is not text: it holds a NUL byte, or more than 1% of control
// characters other than tab, line feed, vertical tab, form feed and carriage return.
func binary(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return true
	}
	controls := 0
	for _, c := range data {
		if c < 0x20 && (c < '\t' || c > '\r') {
			controls++
		}
	}
	return controls*100 > len(data)
}

// delimiterSampleLines is how many lines of a CSV file decide its delimiter.
const delimiterSampleLines = 20

// detectDelimiter picks the comma, the tab or the semicolon by the first lines: the one that
// separates the same number of cells on every line it appears on (a table's shape; a title line
// may have none), the most cells if several do; failing that, the one that separates the most
// cells. The comma wins a tie (a file of one column has no delimiter at all).
func detectDelimiter(text string) rune {
	best, bestScan := ',', scanCSV(text, ',', delimiterSampleLines)
	for _, d := range []rune{'\t', ';'} {
		s := scanCSV(text, d, delimiterSampleLines)
		if s.regular != bestScan.regular && s.regular ||
			s.regular == bestScan.regular && s.separators > bestScan.separators {
			best, bestScan = d, s
		}
	}
	return best
}

// csvScan is what scanCSV saw.
type csvScan struct {
	separators int  // delimiters between cells, not those inside quotes
	regular    bool // every record that has some has the same number of them
	quoted     bool // the text ends inside a quoted cell
	quoteLine  int  // the line where that cell opens, 1-based
}

func (s csvScan) openQuote() (int, bool) { return s.quoteLine, s.quoted }

// scanCSV reads text by the rules encoding/csv follows with LazyQuotes (a quote opens a quoted
// cell only at the start of a cell; inside one, a quote not followed by another, a delimiter or
// a line end is kept as text) over the records that start in the first maxLines lines, or all of
// them if maxLines < 0. encoding/csv with LazyQuotes reads an unclosed quote as a cell running
// to the end of the file without error; this finds it, to tell the user where.
func scanCSV(text string, delim rune, maxLines int) csvScan {
	const (
		cellStart = iota
		unquoted
		quoted
		quoteInQuoted // a quote inside a quoted cell: its end, or the first of a doubled quote
	)
	s := csvScan{regular: true}
	state, line := cellStart, 1
	seps, firstSeps := 0, -1 // separators of the record being read, and of the first that has some
	endRecord := func() {
		if seps > 0 {
			if firstSeps < 0 {
				firstSeps = seps
			}
			s.regular = s.regular && seps == firstSeps
		}
		seps = 0
	}
	for i, r := range text {
		if r == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			continue // CRLF is one line end, as encoding/csv reads it
		}
		switch state {
		case cellStart, unquoted, quoteInQuoted:
			switch {
			case r == delim:
				s.separators++
				seps++
				state = cellStart
			case r == '\n':
				endRecord()
				state = cellStart
			case r == '"' && state == cellStart:
				state, s.quoteLine = quoted, line
			case r == '"' && state == quoteInQuoted:
				state = quoted // a doubled quote
			case state == quoteInQuoted:
				state = quoted // a lone quote kept as text
			case state == cellStart:
				state = unquoted
			}
		case quoted:
			if r == '"' {
				state = quoteInQuoted
			}
		}
		if r == '\n' {
			line++
			if state != quoted && maxLines >= 0 && line > maxLines {
				break
			}
		}
	}
	endRecord()
	s.quoted = state == quoted
	s.regular = s.regular && firstSeps >= 0
	return s
}

// ---- XLSX ----

// readXLSX reads a zip file as a workbook; notOurs is the refusal for a zip that is not one.
func readXLSX(data []byte, lim Limits, notOurs *Refusal) (*Table, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, notOurs
	}
	if err := checkExpanded(zr, lim.ExpandedBytes); err != nil {
		return nil, err
	}
	wb, err := readWorkbook(zr)
	if err != nil {
		return nil, notOurs
	}
	if wb.sheetPart == "" {
		return nil, refuse(refusedEmpty)
	}
	part, err := zr.Open(wb.sheetPart)
	if err != nil {
		return nil, notOurs
	}
	defer part.Close()

	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    lim.ExpandedBytes,
		UnzipXMLSizeLimit: min(lim.ExpandedBytes, xlsxXMLInMemory),
	})
	if err != nil {
		return nil, excelizeError(err)
	}
	defer f.Close()
	rows, err := f.Rows(wb.sheet)
	if err != nil {
		return nil, excelizeError(err)
	}
	defer rows.Close()

	x := xlsxReader{f: f, date1904: wb.date1904, dateStyles: map[int]bool{}}
	sc := newSheetScanner(part)
	b := tableBuilder{lim: lim}
	for n := 1; rows.Next(); n++ {
		// excelize gives the text as displayed; the sheet's XML, read first, says which cells
		// hold dates and which formulas were saved without a result.
		if err := sc.advance(n); err != nil {
			return nil, notOurs
		}
		var meta []cellMeta
		if sc.row == n {
			meta = sc.cells
		}
		for _, c := range meta {
			if c.formula && !c.value {
				return nil, refuse(refusedFormula, c.ref)
			}
		}
		dates := x.dates(meta)
		cells, err := rows.Columns()
		if err != nil {
			return nil, excelizeError(err)
		}
		for _, d := range dates {
			if d.col <= len(cells) {
				cells[d.col-1] = d.text
			}
		}
		if err := b.add(cells); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, excelizeError(err)
	}
	t, err := b.table()
	if err != nil {
		return nil, err
	}
	m := newMergeFiller(t.Rows)
	if err := sc.merges(m.fill); err != nil || m.overlapping {
		return nil, notOurs
	}
	t.Format, t.Sheet = XLSX, wb.sheet
	return t, nil
}

// excelizeError tells a file excelize cannot read (refused) from a failure of the machine, such
// as a temporary file it cannot write.
func excelizeError(err error) error {
	if _, ok := errors.AsType[*fs.PathError](err); ok {
		return err
	}
	return refuse(refusedNotXLSX)
}

// checkExpanded refuses a zip whose parts would expand beyond limit, or any part that expands
// like a zip bomb, before anything is unzipped. The sizes the zip declares can be trusted:
// archive/zip fails a read that goes past an entry's declared size.
func checkExpanded(zr *zip.Reader, limit int64) error {
	tooLarge := refuse(refusedExpanded, int(limit>>20))
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		if size > uint64(limit)-total {
			return tooLarge
		}
		total += size
		if size > bombMinSize && size/bombRatio > f.CompressedSize64 {
			return tooLarge
		}
	}
	return nil
}

// workbook is what readWorkbook finds in a workbook's package.
type workbook struct {
	sheet     string // the first visible worksheet, "" if there is none
	sheetPart string // its part in the zip
	date1904  bool   // day numbers count from 1904 (old Mac workbooks)
}

const (
	relOfficeDocument = "/officeDocument"
	relWorksheet      = "/worksheet"
)

type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xmlWorkbook struct {
	XMLName xml.Name `xml:"workbook"` // another Office document (a .docx) is not a workbook
	Pr      struct {
		Date1904 bool `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name  string `xml:"name,attr"`
		State string `xml:"state,attr"`
		RelID string `xml:"id,attr"` // r:id, in the relationships namespace
	} `xml:"sheets>sheet"`
}

// readWorkbook follows the package's relationships (ECMA-376 Part 2) from the root to the
// workbook and from it to its first visible worksheet, skipping chart sheets. A zip without a
// workbook part is not a workbook.
func readWorkbook(zr *zip.Reader) (workbook, error) {
	var wb workbook
	wbPart := "xl/workbook.xml"
	var root xmlRels
	if err := unmarshalPart(zr, "_rels/.rels", &root); err == nil {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, relOfficeDocument) {
				wbPart = resolvePart("", r.Target)
				break
			}
		}
	}
	var x xmlWorkbook
	if err := unmarshalPart(zr, wbPart, &x); err != nil {
		return wb, err
	}
	wb.date1904 = x.Pr.Date1904
	dir, file := path.Split(wbPart)
	var rels xmlRels
	if err := unmarshalPart(zr, dir+"_rels/"+file+".rels", &rels); err != nil {
		return wb, err
	}
	for _, s := range x.Sheets {
		if s.State != "" && s.State != "visible" {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.RelID && strings.HasSuffix(r.Type, relWorksheet) {
				wb.sheet, wb.sheetPart = s.Name, resolvePart(dir, r.Target)
				return wb, nil
			}
		}
	}
	return wb, nil
}

// resolvePart resolves a relationship's target against the folder of its source part.
func resolvePart(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return path.Clean(target)[1:]
	}
	return strings.TrimPrefix(path.Clean("/"+dir+target), "/")
}

func unmarshalPart(zr *zip.Reader, name string, v any) error {
	f, err := zr.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return xml.NewDecoder(f).Decode(v)
}

// xlsxReader turns the cells the sheet scanner sees into dates.
type xlsxReader struct {
	f          *excelize.File
	date1904   bool
	dateStyles map[int]bool // style index → its number format shows a date
}

// cellText is a cell's text in place of the one excelize gives.
type cellText struct {
	col  int
	text string
}

// dates returns the text of a row's date cells, as YYYY-MM-DD.
func (x *xlsxReader) dates(cells []cellMeta) []cellText {
	var dates []cellText
	for _, c := range cells {
		if d, ok := x.date(c); ok {
			dates = append(dates, cellText{c.col, d})
		}
	}
	return dates
}

func (x *xlsxReader) date(c cellMeta) (string, bool) {
	if !c.value {
		return "", false
	}
	switch c.typ {
	case "d": // an ISO 8601 date, as some programs other than Excel write
		if len(c.v) >= 10 && isISODate(c.v[:10]) {
			return c.v[:10], true
		}
		return "", false
	case "", "n":
	default:
		return "", false
	}
	if !x.isDateStyle(c.style) {
		return "", false
	}
	serial, err := strconv.ParseFloat(strings.TrimSpace(c.v), 64)
	if err != nil || serial < 0 || serial > maxSerial || (serial < 1 && !x.date1904) {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(serial, x.date1904)
	if err != nil {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

func isISODate(s string) bool {
	for i, c := range []byte(s) {
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isDateStyle reports whether a cell style's number format shows a date. It also has excelize
// format the cells of a date style as General numbers from then on: their text is replaced
// anyway, and excelize takes some 50µs to format a date whose format names no locale.
func (x *xlsxReader) isDateStyle(style int) bool {
	if d, ok := x.dateStyles[style]; ok {
		return d
	}
	d := false
	if s, err := x.f.GetStyle(style); err == nil {
		if s.CustomNumFmt != nil {
			d = isDateFormat(*s.CustomNumFmt)
		} else {
			d = builtinDateFormats[s.NumFmt]
		}
		// GetStyle succeeded: the style exists.
		if d {
			general := 0
			x.f.Styles.CellXfs.Xf[style].NumFmtID = &general
		}
	}
	x.dateStyles[style] = d
	return d
}

// builtinDateFormats are the built-in number formats (ECMA-376 Part 1, 18.8.30, with the
// Japanese ones) that show a date, with or without a time of day.
var builtinDateFormats = map[int]bool{
	14: true, 15: true, 16: true, 17: true, 22: true,
	27: true, 28: true, 29: true, 30: true, 31: true, 34: true, 35: true, 36: true,
	50: true, 51: true, 52: true, 53: true, 54: true, 55: true, 56: true, 57: true, 58: true,
}

// isDateFormat reports whether a custom number format shows a date: its first section, without
// quoted text, escaped characters and [bracketed] colours or locales, has a year, a day, a
// Japanese era (g, e) or a month (m without hours or seconds, which makes it minutes).
func isDateFormat(code string) bool {
	var kept strings.Builder
	inQuote := false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQuote:
			inQuote = c != '"'
		case c == '"':
			inQuote = true
		case c == '\\', c == '_', c == '*':
			i++ // the next character is text, or a width or fill
		case c == '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				j = len(code) - i
			}
			// [h], [mm], [ss] are elapsed times and count as time; [Red], [$-411] do not count.
			if b := strings.ToLower(code[i+1 : i+j]); b != "" && strings.Trim(b, "hms") == "" {
				kept.WriteString(b)
			}
			i += j
		case c == ';':
			i = len(code)
		default:
			kept.WriteByte(c | 0x20) // ASCII lower case; other bytes do not matter here
		}
	}
	s := strings.ReplaceAll(kept.String(), "general", "")
	s = strings.NewReplacer("e+", "", "e-", "").Replace(s) // scientific notation
	if strings.ContainsAny(s, "ydge") {
		return true
	}
	return strings.ContainsRune(s, 'm') && !strings.ContainsAny(s, "hs")
}

// cellMeta is what a worksheet's XML says of a cell beyond the text excelize gives.
type cellMeta struct {
	col     int    // 1-based
	ref     string // C5
	style   int
	typ     string // the t attribute: "" or n number, s shared string, str formula text, d date…
	formula bool
	value   bool // a <v> element, the value or a formula's result as last saved
	v       string
}

// sheetScanner reads a worksheet's XML alongside excelize's row iterator, one row at a time, and
// its merged ranges at the end.
type sheetScanner struct {
	dec   *xml.Decoder
	row   int // number of the row last read
	cells []cellMeta
	done  bool // the end of the sheet's rows
}

func newSheetScanner(r io.Reader) *sheetScanner {
	return &sheetScanner{dec: xml.NewDecoder(r)}
}

// advance reads rows until the one numbered n, or a later one, or the end of the rows.
func (s *sheetScanner) advance(n int) error {
	for s.row < n && !s.done {
		if err := s.next(); err != nil {
			return err
		}
	}
	return nil
}

// next reads the next row, numbering it as excelize does: by its r attribute, or one more than
// the last.
func (s *sheetScanner) next() error {
	s.cells = s.cells[:0]
	for {
		tok, err := s.dec.Token()
		if err == io.EOF {
			s.done = true
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "row" {
				continue
			}
			if r, err := strconv.Atoi(attr(t, "r")); err == nil && r > 0 {
				s.row = r
			} else {
				s.row++
			}
			return s.readCells()
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				s.done = true
				return nil
			}
		}
	}
}

// readCells reads the cells of the row just started.
func (s *sheetScanner) readCells() error {
	col := 0
	for {
		tok, err := s.dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "c" {
				if err := s.dec.Skip(); err != nil {
					return err
				}
				continue
			}
			c := cellMeta{typ: attr(t, "t"), ref: attr(t, "r")}
			c.style, _ = strconv.Atoi(attr(t, "s"))
			if c.ref != "" {
				if col, _, err = excelize.CellNameToCoordinates(c.ref); err != nil {
					col = 0 // excelize refuses the row; the cell is not used
				}
			} else {
				col++
				c.ref, _ = excelize.CoordinatesToCellName(col, s.row)
			}
			c.col = col
			if err := s.readCell(&c); err != nil {
				return err
			}
			if c.col > 0 {
				s.cells = append(s.cells, c)
			}
		case xml.EndElement:
			return nil // </row>
		}
	}
}

func (s *sheetScanner) readCell(c *cellMeta) error {
	for {
		tok, err := s.dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "f":
				c.formula = true
				err = s.dec.Skip()
			case "v":
				c.value = true
				err = s.dec.DecodeElement(&c.v, &t)
			default:
				err = s.dec.Skip()
			}
			if err != nil {
				return err
			}
		case xml.EndElement:
			return nil // </c>
		}
	}
}

// merges reads the rest of the sheet and calls fill with each merged range (A1:C2).
func (s *sheetScanner) merges(fill func(ref string)) error {
	for {
		tok, err := s.dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "mergeCell" {
			fill(attr(t, "ref"))
		}
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// mergeFiller copies the value of a merged range into every cell of the range, within the
// table's rows and its widest row: it never makes the table longer or wider. Ranges that overlap
// are an error (Excel repairs such a file); a budget of one copy per cell of the table finds
// them before they cost more than the table itself.
type mergeFiller struct {
	rows        [][]string
	width       int
	budget      int
	overlapping bool
}

func newMergeFiller(rows [][]string) *mergeFiller {
	m := &mergeFiller{rows: rows}
	for _, r := range rows {
		m.width = max(m.width, len(r))
	}
	m.budget = len(rows) * m.width
	return m
}

func (m *mergeFiller) fill(ref string) {
	from, to, ok := strings.Cut(ref, ":")
	if !ok || m.overlapping {
		return
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(from)
	c2, r2, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil || r1 > len(m.rows) || c1 > len(m.rows[r1-1]) {
		return
	}
	v := m.rows[r1-1][c1-1]
	if v == "" {
		return
	}
	r2, c2 = min(max(r2, r1), len(m.rows)), min(max(c2, c1), m.width)
	m.budget -= (r2 - r1 + 1) * (c2 - c1 + 1)
	if m.budget < 0 {
		m.overlapping = true
		return
	}
	for r := r1; r <= r2; r++ {
		row := m.rows[r-1]
		for len(row) < c2 {
			row = append(row, "")
		}
		for c := c1; c <= c2; c++ {
			row[c-1] = v
		}
		m.rows[r-1] = row
	}
}
