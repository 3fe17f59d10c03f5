package isms

import "time"

// The planning pages gather what every part of the ISMS has due: "my tasks" (what a person has to
// do, overdue first), a unit's tasks on its page, and the fiscal year's calendar (April → March).
// Each part of the portal answers for its own tasks and calendar entries in these shapes.

// Task is one thing due: a review to carry out, a checklist to answer, a corrective action to
// take, a version or request to approve.
type Task struct {
	Kind     string     // catalogue key suffix: "task.kind.<Kind>" names it (review, inspection, corrective_action, …)
	Title    string     // what it concerns, as recorded (the document's title, the campaign's name, …)
	Href     string     // the page where it is done
	DueOn    *time.Time // nil: no due day
	UnitID   int64      // the unit concerned; 0 for none
	UnitName string
}

// Overdue reports whether the task's due day has passed on today.
func (t Task) Overdue(today time.Time) bool { return t.DueOn != nil && t.DueOn.Before(Day(today)) }

// CalendarEntry is one dated item of the fiscal year's calendar.
type CalendarEntry struct {
	Kind  string // catalogue key suffix: "calendar.kind.<Kind>" (review, inspection, audit, training, committee)
	Title string
	Href  string
	Start time.Time  // the day it starts (or is due)
	End   *time.Time // the last day, for a period; nil for a single day
}
