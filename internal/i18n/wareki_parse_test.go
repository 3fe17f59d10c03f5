package i18n

import "testing"

func TestWarekiYear(t *testing.T) {
	tests := []struct {
		era    string
		y      int
		want   int
		wantOK bool
	}{
		{"令和", 8, 2026, true},
		{"令和", 1, 2019, true},
		{"R", 8, 2026, true},
		{"r", 8, 2026, true},
		{"Reiwa", 8, 2026, true},
		{"REIWA", 8, 2026, true},
		{"平成", 31, 2019, true},
		{"H", 31, 2019, true},
		{"平成", 32, 2020, true}, // written after the era ended: still the year it means
		{"昭和", 64, 1989, true},
		{"S", 64, 1989, true},
		{"大正", 15, 1926, true},
		{"T", 1, 1912, true},
		{"明治", 1, 1868, true},
		{"M", 45, 1912, true},
		{"令和", 0, 0, false},
		{"令和", -1, 0, false},
		{"X", 8, 0, false},
		{"Re", 8, 0, false},
		{"", 8, 0, false},
		{"西暦", 2026, 0, false},
	}
	for _, tt := range tests {
		got, ok := WarekiYear(tt.era, tt.y)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("WarekiYear(%q, %d) = %d, %v; want %d, %v", tt.era, tt.y, got, ok, tt.want, tt.wantOK)
		}
	}
}
