package auth

import (
	"crypto/rand"
	"strings"
)

// alphabet has no look-alikes (no 0/O/o, 1/l/I) and one case only, so codes survive being read
// aloud or typed from paper. Its 32 symbols make each character exactly 5 bits, and mapping a random
// byte with &31 has no bias.
const alphabet = "23456789abcdefghijkmnpqrstuvwxyz"

// randomGrouped returns groups×size random alphabet characters, the groups joined by hyphens.
func randomGrouped(groups, size int) string {
	b := make([]byte, groups*size)
	rand.Read(b)
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%size == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[c&31])
	}
	return sb.String()
}

// halfWidth maps full-width ASCII forms (U+FF01–U+FF5E, what Japanese IMEs type in zenkaku mode) to
// their ASCII counterparts and the ideographic space to a space; other runes are unchanged.
func halfWidth(r rune) rune {
	switch {
	case r >= '！' && r <= '～':
		return r - '！' + '!'
	case r == '\u3000':
		return ' '
	}
	return r
}
