package ledger

// headerScanRows is how far down a sheet FindHeader looks: title rows, a date, a blank row or
// two and a header of two rows fit with room to spare.
const headerScanRows = 20

// FindHeader finds the header of a table: among its first 20 rows, the one whose cells name the
// most columns of the layout (by Key, against each column's key and aliases), so that title rows
// above it are skipped. Each column of the file maps to the first layout column it names that no
// column to its left has taken.
//
// A header may have two rows, a row of groups above the names (機密性・完全性・可用性 over
// 機密性, 完全性 and 可用性). A group is merged over its columns in a workbook (Read copies it
// into each); in a CSV file it is written once, in the first of its columns, with empty cells
// after it. A column's name is then looked up as "group name" first, then as the name alone; a
// column with nothing in the lower row, whose header is merged over both rows, takes the upper
// one. The upper row counts as part of the header when it names more columns that way, or as
// many, if it is clearly a header row: it has a cell merged over both rows, or a group over some
// but not all of the columns (a title merged over the whole width is not a group).
//
// A table in which no row names any column has Row -1 and no names: Missing lists every
// required column.
func FindHeader(t *Table, l Layout) Header {
	m := newMatcher(l)
	best, bestScore := Header{Row: -1}, 0
	for r := 0; r < len(t.Rows) && r < headerScanRows; r++ {
		h, score := m.single(t.Rows[r])
		if r > 0 && len(t.Rows[r-1]) > 0 {
			h2, score2, header := m.pair(t.Rows[r-1], t.Rows[r])
			if score2 > score || score2 == score && header {
				h, score = h2, score2
			}
		}
		if score > bestScore {
			h.Row = r
			best, bestScore = h, score
		}
	}
	return best
}

// Missing returns the layout's required columns that no column of the file maps to.
func (h Header) Missing(l Layout) []Column {
	mapped := make(map[string]bool, len(h.Mapping))
	for _, k := range h.Mapping {
		mapped[k] = true
	}
	var missing []Column
	for _, c := range l.Columns {
		if c.Required && !mapped[c.Key] {
			missing = append(missing, c)
		}
	}
	return missing
}

// matcher finds the layout column a header names.
type matcher struct {
	l     Layout
	byKey map[string][]int // Key of a column's key or alias → the columns, in layout order
}

func newMatcher(l Layout) matcher {
	m := matcher{l: l, byKey: map[string][]int{}}
	for i, c := range l.Columns {
		for _, name := range append([]string{c.Key}, c.Aliases...) {
			k := Key(name)
			if k == "" {
				continue
			}
			if ix := m.byKey[k]; len(ix) == 0 || ix[len(ix)-1] != i {
				m.byKey[k] = append(ix, i)
			}
		}
	}
	return m
}

// match returns the first layout column named by one of the names, in the order given, that is
// not used yet, and marks it used; or "".
func (m matcher) match(used []bool, names ...string) string {
	for _, name := range names {
		if name == "" {
			continue
		}
		for _, i := range m.byKey[Key(name)] {
			if !used[i] {
				used[i] = true
				return m.l.Columns[i].Key
			}
		}
	}
	return ""
}

// single reads row as a header of one row.
func (m matcher) single(row []string) (Header, int) {
	h := Header{Rows: 1, Names: append([]string(nil), row...), Mapping: make([]string, len(row))}
	used := make([]bool, len(m.l.Columns))
	score := 0
	for c, name := range row {
		if h.Mapping[c] = m.match(used, name); h.Mapping[c] != "" {
			score++
		}
	}
	return h, score
}

// pair reads upper and lower as a header of two rows, and also reports whether upper looks like
// the upper row of a header (see FindHeader).
func (m matcher) pair(upper, lower []string) (Header, int, bool) {
	group := groups(upper, lower)
	width := len(group)
	h := Header{Rows: 2, Names: make([]string, width), Mapping: make([]string, width)}
	used := make([]bool, len(m.l.Columns))
	score := 0
	merged := false // a cell merged over both rows
	for c := range width {
		g, name := group[c], cell(lower, c)
		switch {
		case g == "" || g == name:
			h.Names[c] = name
			h.Mapping[c] = m.match(used, name)
			merged = merged || g != ""
		case name == "":
			h.Names[c] = g
			h.Mapping[c] = m.match(used, g)
		default:
			h.Names[c] = g + " " + name
			h.Mapping[c] = m.match(used, h.Names[c], name)
		}
		if h.Mapping[c] != "" {
			score++
		}
	}
	return h, score, merged || hasGroup(group, lower)
}

// groups returns the upper row of a two-row header with each group's name in every column it
// covers: a CSV file writes it once, then leaves empty cells while the names under it go on.
// It is as wide as the wider of the two rows.
func groups(upper, lower []string) []string {
	g := make([]string, max(len(upper), len(lower)))
	copy(g, upper)
	for c := 1; c < len(g); c++ {
		if g[c] == "" && g[c-1] != "" && cell(lower, c) != "" && cell(lower, c-1) != "" {
			g[c] = g[c-1]
		}
	}
	return g
}

// hasGroup reports whether some group of the upper row spans two or more columns with names of
// their own, but not every named column (which makes it a title).
func hasGroup(group, lower []string) bool {
	spans := false
	for c := 1; c < len(group); c++ {
		if group[c] != "" && group[c] == group[c-1] && cell(lower, c) != "" && cell(lower, c-1) != "" &&
			cell(lower, c) != group[c] {
			spans = true
		}
	}
	if !spans {
		return false
	}
	for c, name := range lower {
		if name != "" && group[c] != group[0] {
			return true
		}
	}
	return false
}

func cell(row []string, c int) string {
	if c < len(row) {
		return row[c]
	}
	return ""
}
