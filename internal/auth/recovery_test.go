package auth

import (
	"bytes"
	"regexp"
	"testing"
)

func TestNewRecoveryCodes(t *testing.T) {
	codes, hashes, err := NewRecoveryCodes(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 10 || len(hashes) != 10 {
		t.Fatalf("got %d codes and %d hashes, want 10", len(codes), len(hashes))
	}
	re := regexp.MustCompile(`^[2-9a-km-np-z]{5}-[2-9a-km-np-z]{5}$`)
	seen := map[string]bool{}
	for i, c := range codes {
		if !re.MatchString(c) {
			t.Errorf("code %q not xxxxx-xxxxx from the alphabet", c)
		}
		if seen[c] {
			t.Errorf("duplicate code %q", c)
		}
		seen[c] = true
		if !bytes.Equal(hashes[i], HashRecoveryCode(c)) {
			t.Errorf("hash %d is not the hash of code %q", i, c)
		}
	}
	for _, n := range []int{0, -1} {
		if _, _, err := NewRecoveryCodes(n); err == nil {
			t.Errorf("NewRecoveryCodes(%d): no error", n)
		}
	}
}

func TestHashRecoveryCode(t *testing.T) {
	want := HashRecoveryCode("abcde-fghij")
	if len(want) != 32 {
		t.Fatalf("hash is %d bytes, want 32 (SHA-256)", len(want))
	}
	tests := []struct {
		code  string
		equal bool
	}{
		{"abcdefghij", true},
		{"ABCDE-FGHIJ", true},
		{"abcde fghij", true},
		{" abcde - fghij\n", true},
		{"ａｂｃｄｅ－ｆｇｈｉｊ", true},
		{"ＡＢＣＤＥ\u3000ＦＧＨＩＪ", true},
		{"abcdeーfghij", true},
		{"abcde-fghik", false},
		{"abcde-fghi", false},
		{"abcde_fghij", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := bytes.Equal(HashRecoveryCode(tt.code), want); got != tt.equal {
			t.Errorf("HashRecoveryCode(%q) equal to that of abcde-fghij: %v, want %v", tt.code, got, tt.equal)
		}
	}
}
