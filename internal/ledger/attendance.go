package ledger

import (
	"strings"
	"time"
)

// AttendanceLayout is an attendance list (受講記録) as e-learning systems export it, imported into
// one training session: who (by employee number), whether and when they completed, the test
// score and the evidence. Other columns (the course's name, the person's name) are left out.
var AttendanceLayout = Layout{Kind: "attendance", Columns: []Column{
	newColumn("employee_no", "person.employee_no", true, 12, "職員番号", "職員コード", "職員No", "社員番号", "ユーザーID", "ユーザID",
		"employee no", "employee number", "user id"),
	newColumn("completed_on", "attendance.completed_on", false, 12, "受講日", "修了日", "完了日", "受講完了日", "実施日",
		"completed on", "completion date"),
	newColumn("completed", "attendance.completed", false, 8, "修了", "修了状況", "受講状況", "完了", "合否", "status", "completed"),
	newColumn("score", "attendance.score", false, 8, "得点", "点数", "テスト得点", "成績", "スコア", "score"),
	newColumn("evidence", "attendance.evidence", false, 20, "証跡", "修了証番号", "修了証", "備考", "evidence", "certificate"),
}}

// AttendanceRow is a row of an attendance list. PersonID is 0 when the row has no employee
// number; Completed is true unless the row says otherwise.
type AttendanceRow struct {
	Row         int
	EmployeeNo  string
	PersonID    int64
	CompletedOn *time.Time
	Completed   bool
	Score       *int
	Evidence    string
}

// problemUnknownPerson is a number that no person of the directory has.
const problemUnknownPerson = "attendance.import.unknown_person"

// completionWords are how e-learning systems write a completion, besides the marks of ParseBool.
var completionWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"修了", "完了", "受講済", "受講済み", "済", "済み", "合格", "completed", "complete", "passed", "done"} {
		m[Key(w)] = true
	}
	for _, w := range []string{"未修了", "未完了", "未受講", "受講中", "未", "不合格", "not completed", "incomplete", "failed",
		"in progress"} {
		m[Key(w)] = false
	}
	return m
}()

// ParseCompletion reads whether a row's person completed: 修了, 完了, 合格, ○ … or 未修了, 不合格, × ….
func ParseCompletion(s string) (bool, bool) {
	if v, ok := completionWords[Key(s)]; ok {
		return v, true
	}
	return ParseBool(s)
}

// parseScore reads a test score, written as a number of points (85, 85点, 85%).
func parseScore(s string) (int, bool) {
	s = strings.TrimSpace(s)
	for _, unit := range []string{"点", "%", "％"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, unit))
	}
	return ParseInt(s)
}

func attendanceReaders(lk Lookups) map[string]cellFunc[AttendanceRow] {
	return map[string]cellFunc[AttendanceRow]{
		"employee_no": func(r *AttendanceRow, v string) (string, []any) {
			r.EmployeeNo = v
			id, ok := lk.People[Key(v)]
			if !ok {
				return problemUnknownPerson, nil
			}
			r.PersonID = id
			return "", nil
		},
		"completed_on": dateCell(func(r *AttendanceRow) **time.Time { return &r.CompletedOn }),
		"completed": func(r *AttendanceRow, v string) (string, []any) {
			done, ok := ParseCompletion(v)
			if !ok {
				return problemBool, nil
			}
			r.Completed = done
			return "", nil
		},
		"score": func(r *AttendanceRow, v string) (string, []any) {
			n, ok := parseScore(v)
			if !ok {
				return problemNumber, nil
			}
			r.Score = &n
			return "", nil
		},
		"evidence": textCell(func(r *AttendanceRow) *string { return &r.Evidence }),
	}
}

// AttendanceRows reads the rows of an attendance list below the header h (columns of
// AttendanceLayout). People are found by employee number in lk.People; a number no one has is a
// problem of its row. A row completes unless its 修了 cell says otherwise. Empty rows are skipped.
func AttendanceRows(t *Table, h Header, lk Lookups) ([]AttendanceRow, []Problem) {
	rows := make([]AttendanceRow, 0, dataRows(t, h))
	problems := convertRows(t, h, attendanceReaders(lk), func(row int, _ map[string]bool) *AttendanceRow {
		rows = append(rows, AttendanceRow{Row: row, Completed: true})
		return &rows[len(rows)-1]
	})
	return rows, problems
}
