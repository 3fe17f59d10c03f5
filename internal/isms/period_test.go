package isms

import (
	"testing"
	"time"
)

func TestPeriodContainsBothEnds(t *testing.T) {
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	p := Period{From: from, To: &to}
	jst := time.FixedZone("JST", 9*3600)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 3, 31, 23, 59, 0, 0, jst), false},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, jst), true}, // 31 March 15:00 UTC, but 1 April in Japan
		{time.Date(2027, 3, 31, 23, 59, 0, 0, jst), true},
		{time.Date(2027, 4, 1, 0, 0, 0, 0, jst), false},
	} {
		if got := p.Contains(tc.at); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.at, got, tc.want)
		}
	}
	if open := (Period{From: from}); !open.Contains(time.Date(2100, 1, 1, 0, 0, 0, 0, jst)) {
		t.Error("an open period ends")
	}
}

func TestParseDay(t *testing.T) {
	if d, ok := ParseDay("2027-04-01"); !ok || d == nil || d.Format(time.DateOnly) != "2027-04-01" {
		t.Errorf("2027-04-01: %v %v", d, ok)
	}
	if d, ok := ParseDay(""); !ok || d != nil {
		t.Errorf("empty: %v %v", d, ok)
	}
	for _, s := range []string{"2027/04/01", "令和9年4月1日", "2027-02-30"} {
		if _, ok := ParseDay(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestPersonInputValidate(t *testing.T) {
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	before := from.AddDate(0, 0, -1)
	in := PersonInput{Name: "山田 太郎", NameKana: "ヤマダ タロウ", Employment: EmploymentRegular, Phone: "0123-45-6789", ValidFrom: &from, UnitID: 1}
	if fe := in.Validate(true); len(fe) != 0 {
		t.Fatalf("valid input refused: %v", fe)
	}
	bad := in
	bad.Name, bad.NameKana, bad.Employment, bad.Phone, bad.Email, bad.ValidTo, bad.UnitID = "", "yamada", "boss", "内線201", "yamada@", &before, 0
	fe := bad.Validate(true)
	for _, field := range []string{"name", "name_kana", "employment_type", "phone", "email", "valid_to", "unit_id"} {
		if fe[field] == "" {
			t.Errorf("%s not refused: %v", field, fe)
		}
	}
	if fe := bad.Validate(false); fe["unit_id"] != "" {
		t.Error("an edit asks for the first posting")
	}
}
