package isms_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

func TestAuditChanges(t *testing.T) {
	type c = isms.AuditChange
	tests := []struct {
		name          string
		before, after string
		want          []c
	}{
		{"update: changed fields only, sorted", `{"role": "staff", "name": "田中", "version": 1, "unit_id": 3}`,
			`{"version": 2, "name": "田中", "unit_id": 4, "role": "auditor"}`,
			[]c{{"role", "staff", "auditor"}, {"unit_id", "3", "4"}, {"version", "1", "2"}}},
		{"creation lists every field of after", ``, `{"b": true, "a": "x", "c": null}`,
			[]c{{"a", "", "x"}, {"b", "", "true"}, {"c", "", "null"}}},
		{"null before is a creation", `null`, `{"a": 1}`, []c{{"a", "", "1"}}},
		{"deletion lists every field of before", `{"a": [1, 2], "b": {"y": 1, "x": "<&>"}}`, `null`,
			[]c{{"a", "[1,2]", ""}, {"b", `{"x":"<&>","y":1}`, ""}}},
		{"field added and removed", `{"old": "x"}`, `{"new": "y"}`, []c{{"new", "", "y"}, {"old", "x", ""}}},
		{"nested values compare by content, not by layout", `{"a": {"x": 1, "y": [1, 2]}}`, `{"a":{"y":[1,2],"x":1}}`, nil},
		{"nothing changed", `{"a": 1}`, `{"a": 1}`, nil},
		{"null and empty string differ", `{"a": null}`, `{"a": ""}`, []c{{"a", "null", ""}}},
		{"arrays compare as a whole", `["ciso", "staff"]`, `["ciso"]`, []c{{"", `["ciso","staff"]`, `["ciso"]`}}},
		{"equal arrays", `["ciso"]`, `[ "ciso" ]`, nil},
		{"scalar created", ``, `"on"`, []c{{"", "", "on"}}},
		{"object replaced by a scalar", `{"a": 1}`, `5`, []c{{"", `{"a":1}`, "5"}}},
		{"nothing before or after", ``, `null`, nil},
		{"text that is not JSON is shown as it is", `not json`, ``, []c{{"", "not json", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := isms.AuditChanges(json.RawMessage(tt.before), json.RawMessage(tt.after))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AuditChanges(%s, %s)\n got %q\nwant %q", tt.before, tt.after, got, tt.want)
			}
		})
	}
}

func TestAuditFilterValidate(t *testing.T) {
	jst := time.FixedZone("JST", 9*3600)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, jst) }
	tests := []struct {
		f    isms.AuditFilter
		want isms.FieldErrors
	}{
		{isms.AuditFilter{}, isms.FieldErrors{}},
		{isms.AuditFilter{EntityType: "user", EntityID: "5"}, isms.FieldErrors{}},
		{isms.AuditFilter{EntityID: "5"}, isms.FieldErrors{"entity_type": "audit.error.entity_type_required"}},
		{isms.AuditFilter{From: day(2026, 4, 1), To: day(2026, 4, 1)}, isms.FieldErrors{}},
		{isms.AuditFilter{From: day(2026, 4, 2)}, isms.FieldErrors{}},
		{isms.AuditFilter{From: day(2026, 4, 2), To: day(2026, 4, 1)}, isms.FieldErrors{"to": "audit.error.range"}},
		// 16:00 UTC on 1 April is already 2 April in Japan.
		{isms.AuditFilter{From: time.Date(2026, 4, 1, 16, 0, 0, 0, time.UTC), To: day(2026, 4, 1)}, isms.FieldErrors{"to": "audit.error.range"}},
		{isms.AuditFilter{From: day(2026, 4, 1), To: time.Date(2026, 3, 31, 15, 0, 0, 0, time.UTC)}, isms.FieldErrors{}},
	}
	for _, tt := range tests {
		if got := tt.f.Validate(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v: %v, want %v", tt.f, got, tt.want)
		}
	}
}
