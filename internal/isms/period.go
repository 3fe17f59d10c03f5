package isms

import "time"

// Period is when something holds: from From to To, both days included; To nil means still open.
// Units, postings, people and role assignments all carry one, so that the organisation of any
// past day can be shown and a rotation prepared for 1 April takes effect on that day.
type Period struct {
	From time.Time  `json:"valid_from"`
	To   *time.Time `json:"valid_to"`
}

// Contains reports whether day d falls within the period.
func (p Period) Contains(d time.Time) bool {
	d = Day(d)
	return !d.Before(p.From) && (p.To == nil || !d.After(*p.To))
}

// Day is the calendar day of t in Japan, as a UTC midnight: the form in which dates are stored
// and compared.
func Day(t time.Time) time.Time {
	y, m, d := t.In(japan).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

var japan = time.FixedZone("JST", 9*3600)

// ParseDay reads a date as a form sends it (2026-04-01); the empty string is no date.
func ParseDay(s string) (*time.Time, bool) {
	if s == "" {
		return nil, true
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, false
	}
	return &d, true
}
