package auth

import (
	"crypto/sha256"
	"errors"
	"strings"
	"unicode"
)

// NewRecoveryCodes returns n distinct codes of 10 alphabet characters, shown as xxxxx-xxxxx, and the
// hashes to store in their place.
func NewRecoveryCodes(n int) (codes []string, hashes [][]byte, err error) {
	if n < 1 {
		return nil, nil, errors.New("auth: recovery code count must be at least 1")
	}
	seen := make(map[string]bool, n)
	for len(codes) < n {
		c := randomGrouped(2, 5)
		if seen[c] {
			continue // a duplicate would be one code less to fall back on
		}
		seen[c] = true
		codes = append(codes, c)
		hashes = append(hashes, HashRecoveryCode(c))
	}
	return codes, hashes, nil
}

// HashRecoveryCode normalises code as typed (spaces and hyphens dropped, lower case, full width to
// half width) and hashes it with SHA-256. A slow hash is not needed: the codes carry 50 random bits
// and are single-use, so they cannot be guessed offline in useful time.
func HashRecoveryCode(code string) []byte {
	norm := strings.Map(func(r rune) rune {
		r = halfWidth(r)
		if unicode.IsSpace(r) || isDash(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, code)
	sum := sha256.Sum256([]byte(norm))
	return sum[:]
}

// isDash reports hyphen-like runes. Besides '-', a Japanese IME in kana mode turns the hyphen key into
// "ー" or a full-width minus, which users cannot tell apart from a hyphen on screen.
func isDash(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '―', '−', 'ー', '－', 'ｰ':
		return true
	}
	return false
}
