package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id parameters. They are stored in the hash string (PHC format
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>", base64 raw standard) so that they can be raised
// later without invalidating old hashes.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams is OWASP's minimum for argon2id (19 MiB, 2 passes); about 20 ms per hash.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

const (
	// Lower bounds: RFC 9106 asks for at least 8 bytes of salt, and a short key makes collisions cheap.
	minSaltLen = 8
	minKeyLen  = 16
	// maxMemory (2 GiB) keeps a corrupted hash row from making a login allocate without bound.
	maxMemory = 2 << 20
)

var errMalformedHash = errors.New("auth: malformed password hash")

func (p Params) validate() error {
	switch {
	case p.Time < 1 || p.Threads < 1:
		return errors.New("time and threads must be at least 1")
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("memory must be between 8×threads and %d KiB", maxMemory)
	case p.SaltLen < minSaltLen:
		return fmt.Errorf("salt must be at least %d bytes", minSaltLen)
	case p.KeyLen < minKeyLen:
		return fmt.Errorf("key must be at least %d bytes", minKeyLen)
	}
	return nil
}

// HashPassword hashes password with argon2id under p and a fresh random salt.
func HashPassword(password string, p Params) (string, error) {
	if err := p.validate(); err != nil {
		return "", fmt.Errorf("auth: bad argon2 params: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword compares in constant time; ok=false for a wrong password; err only for a malformed hash.
// rehash=true when the stored params are weaker than DefaultParams (caller may re-hash after a successful login).
func CheckPassword(hash, password string) (ok, rehash bool, err error) {
	p, salt, key, err := parseHash(hash)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	ok = subtle.ConstantTimeCompare(got, key) == 1
	d := DefaultParams
	rehash = p.Memory < d.Memory || p.Time < d.Time || p.SaltLen < d.SaltLen || p.KeyLen < d.KeyLen
	return ok, rehash, nil
}

// parseHash reads a PHC argon2id string. It is strict (fixed field order, no padding) because every
// hash it meets was written by HashPassword; anything else means a corrupted row.
func parseHash(hash string) (p Params, salt, key []byte, err error) {
	f := strings.Split(hash, "$")
	if len(f) != 6 || f[0] != "" || f[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("%w: not $argon2id$v=…$m=…,t=…,p=…$salt$key", errMalformedHash)
	}
	if f[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", errMalformedHash, f[2])
	}
	var m, t, th uint64
	ps := strings.Split(f[3], ",")
	if len(ps) == 3 {
		m, err = parseParam(ps[0], "m=", 32)
		if err == nil {
			t, err = parseParam(ps[1], "t=", 32)
		}
		if err == nil {
			th, err = parseParam(ps[2], "p=", 8)
		}
	} else {
		err = errors.New("want m=…,t=…,p=…")
	}
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: params %q: %v", errMalformedHash, f[3], err)
	}
	b64 := base64.RawStdEncoding.Strict()
	if salt, err = b64.DecodeString(f[4]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: salt: %v", errMalformedHash, err)
	}
	if key, err = b64.DecodeString(f[5]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: key: %v", errMalformedHash, err)
	}
	p = Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(th), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	if err := p.validate(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %v", errMalformedHash, err)
	}
	return p, salt, key, nil
}

func parseParam(s, prefix string, bits int) (uint64, error) {
	v, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return 0, fmt.Errorf("want %s…", prefix)
	}
	return strconv.ParseUint(v, 10, bits)
}

// dummyHash is a real hash under DefaultParams, made on first use so that importing the package
// costs nothing.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("dummy password for unknown login ids", DefaultParams)
	if err != nil {
		panic(err) // DefaultParams are valid; only a broken edit gets here.
	}
	return h
})

// DummyCheck spends the same time as CheckPassword on a real hash, for logins with an unknown id
// (no user enumeration by timing).
func DummyCheck(password string) {
	_, _, _ = CheckPassword(dummyHash(), password)
}

// Password length bounds, counted in runes. The maximum only stops absurd input: argon2 would
// take any length.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 128
)

// Reasons of a PasswordError; the caller maps them to localised messages.
const (
	reasonTooShort        = "too_short"
	reasonTooLong         = "too_long"
	reasonIsLoginID       = "is_login_id"
	reasonContainsLoginID = "contains_login_id"
	reasonRepeated        = "repeated"
	reasonCommon          = "common"
)

// PasswordError says which rule a new password breaks. Reason is one of "too_short", "too_long",
// "is_login_id", "contains_login_id", "repeated", "common".
type PasswordError struct {
	Reason string
}

func (e *PasswordError) Error() string {
	var why string
	switch e.Reason {
	case reasonTooShort:
		why = fmt.Sprintf("shorter than %d characters", MinPasswordLen)
	case reasonTooLong:
		why = fmt.Sprintf("longer than %d characters", MaxPasswordLen)
	case reasonIsLoginID:
		why = "same as the login id"
	case reasonContainsLoginID:
		why = "contains the login id"
	case reasonRepeated:
		why = "a single repeated character"
	case reasonCommon:
		why = "a commonly used password"
	default:
		why = e.Reason
	}
	return "auth: password refused: " + why
}

// minLoginIDInPassword is the shortest login id refused as a substring; shorter ids ("ab") occur
// in ordinary words too often to be worth refusing.
const minLoginIDInPassword = 4

// CheckPasswordRules applies the rules of NIST SP 800-63B: length in runes (so a Japanese
// passphrase counts its characters, not its UTF-8 bytes), no composition rules, and a refusal of
// passwords that are guessable from the login id, a single repeated character, or common.
// It returns nil or a *PasswordError.
func CheckPasswordRules(password, loginID string) error {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLen {
		return &PasswordError{Reason: reasonTooShort}
	}
	if n > MaxPasswordLen {
		return &PasswordError{Reason: reasonTooLong}
	}
	norm := strings.ToLower(strings.TrimSpace(password))
	id := strings.ToLower(strings.TrimSpace(loginID))
	if id != "" {
		if norm == id {
			return &PasswordError{Reason: reasonIsLoginID}
		}
		if utf8.RuneCountInString(id) >= minLoginIDInPassword && strings.Contains(norm, id) {
			return &PasswordError{Reason: reasonContainsLoginID}
		}
	}
	if singleRune(strings.ToLower(password)) {
		return &PasswordError{Reason: reasonRepeated}
	}
	if _, ok := commonPasswords[norm]; ok {
		return &PasswordError{Reason: reasonCommon}
	}
	return nil
}

// singleRune reports whether s consists of one rune repeated (spaces included: a password of twelve
// spaces is as weak as "aaaaaaaaaaaa").
func singleRune(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != first {
			return false
		}
	}
	return true
}

// GeneratePassword returns a random one-time password of 16 characters from an alphabet without
// look-alikes, grouped as xxxx-xxxx-xxxx-xxxx so that it can be read aloud on the phone. It is
// lower case only, also for the phone, and carries 80 bits.
func GeneratePassword() string {
	for {
		pw := randomGrouped(4, 4)
		// Cannot fail in practice (the hyphens rule out "repeated"), but the promise is that the
		// result passes the rules, so keep it rather than trust it.
		if CheckPasswordRules(pw, "") == nil {
			return pw
		}
	}
}
