package isms

import (
	"cmp"
	"slices"
	"time"
)

// SortTasks orders tasks as "my tasks" lists them: those overdue first, then by due day, then
// those without one; within a day by title.
func SortTasks(tasks []Task, today time.Time) {
	slices.SortStableFunc(tasks, func(a, b Task) int {
		if ao, bo := a.Overdue(today), b.Overdue(today); ao != bo {
			if ao {
				return -1
			}
			return 1
		}
		switch {
		case a.DueOn == nil && b.DueOn != nil:
			return 1
		case a.DueOn != nil && b.DueOn == nil:
			return -1
		case a.DueOn != nil && !a.DueOn.Equal(*b.DueOn):
			return a.DueOn.Compare(*b.DueOn)
		}
		return cmp.Compare(a.Title, b.Title)
	})
}

// CalendarMonth is one month of a fiscal year's calendar with the entries that start in it.
type CalendarMonth struct {
	Year    int
	Month   time.Month
	Entries []CalendarEntry
}

// FiscalCalendar lays out fiscal year fy from April to March, each entry under the month it
// starts in, in the order of its first day; entries outside the year are left out.
func FiscalCalendar(fy int, entries []CalendarEntry) []CalendarMonth {
	months := make([]CalendarMonth, 12)
	for i := range months {
		first := time.Date(fy, time.April+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		months[i] = CalendarMonth{Year: first.Year(), Month: first.Month()}
	}
	sorted := slices.Clone(entries)
	slices.SortStableFunc(sorted, func(a, b CalendarEntry) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Title, b.Title))
	})
	for _, e := range sorted {
		start := Day(e.Start)
		if FiscalYearOf(start) != fy {
			continue
		}
		i := (int(start.Month()) + 12 - int(time.April)) % 12
		months[i].Entries = append(months[i].Entries, e)
	}
	return months
}
