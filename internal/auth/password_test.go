package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// weak are valid but cheap parameters, so that tests which only need some hash stay fast.
var weak = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashPasswordFormat(t *testing.T) {
	h, err := HashPassword("correct horse battery", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(h) {
		t.Errorf("hash %q not in PHC format", h)
	}
	h2, _ := HashPassword("correct horse battery", DefaultParams)
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestHashPasswordBadParams(t *testing.T) {
	for _, p := range []Params{
		{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		{Memory: 4, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
	} {
		if _, err := HashPassword("x", p); err == nil {
			t.Errorf("HashPassword with %+v: no error", p)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	def, err := HashPassword("情報セキュリティ対策基準です", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	oneTime, _ := HashPassword("情報セキュリティ対策基準です", Params{Memory: 19456, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	lowMem, _ := HashPassword("情報セキュリティ対策基準です", Params{Memory: 8192, Time: 3, Threads: 1, SaltLen: 16, KeyLen: 32})
	strong, _ := HashPassword("情報セキュリティ対策基準です", Params{Memory: 32768, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32})
	tests := []struct {
		name, hash, password string
		ok, rehash           bool
	}{
		{"right", def, "情報セキュリティ対策基準です", true, false},
		{"wrong", def, "情報セキュリティ対策基準でず", false, false},
		{"empty", def, "", false, false},
		{"weaker time", oneTime, "情報セキュリティ対策基準です", true, true},
		{"weaker time, wrong", oneTime, "nope", false, true},
		{"weaker memory", lowMem, "情報セキュリティ対策基準です", true, true},
		{"stronger", strong, "情報セキュリティ対策基準です", true, false},
	}
	for _, tt := range tests {
		ok, rehash, err := CheckPassword(tt.hash, tt.password)
		if err != nil || ok != tt.ok || rehash != tt.rehash {
			t.Errorf("%s: got ok=%v rehash=%v err=%v, want ok=%v rehash=%v", tt.name, ok, rehash, err, tt.ok, tt.rehash)
		}
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	good, err := HashPassword("pw", weak)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(good, "$")
	salt, key := f[4], f[5]
	for _, h := range []string{
		"",
		"plain text",
		"$2a$10$abcdefghijklmnopqrstuu5R0jVhR/6tkW0v5qN5UmkzC.3xNqvqa",
		"$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=256$" + salt + "$" + key,
		"$argon2id$v=19$m=99999999999,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=-1,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$",
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$!!!",
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$",
		"$argon2id$v=19$m=64,t=1,p=1$$" + key,
		"x$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key,
	} {
		ok, _, err := CheckPassword(h, "pw")
		if err == nil || ok {
			t.Errorf("CheckPassword(%q): ok=%v err=%v, want an error", h, ok, err)
		}
	}
	if ok, _, err := CheckPassword(good, "pw"); !ok || err != nil {
		t.Errorf("the unmodified hash: ok=%v err=%v", ok, err)
	}
}

func TestDummyCheck(t *testing.T) {
	// DummyCheck must do the work of a real check: a hash under DefaultParams that is well formed.
	p, _, _, err := parseHash(dummyHash())
	if err != nil {
		t.Fatal(err)
	}
	if p.Memory != DefaultParams.Memory || p.Time != DefaultParams.Time || p.KeyLen != DefaultParams.KeyLen {
		t.Errorf("dummy hash params %+v, want DefaultParams", p)
	}
	DummyCheck("anything")
}

func TestCheckPasswordRules(t *testing.T) {
	tests := []struct {
		password, loginID, reason string // reason "" means accepted
	}{
		{"情報セキュリティ対策基準です", "tanaka", ""},
		{"情報セキュリティ対策基", "tanaka", "too_short"}, // 11 runes, 33 bytes
		{"情報セキュリティ対策基準", "tanaka", ""},         // 12 runes
		{"abcdefghijk", "", "too_short"},
		{"correct horse battery staple", "tanaka", ""},
		{"Tr0ub4dor&3x", "tanaka", ""},
		{strings.Repeat("ab", 64), "tanaka", ""},
		{strings.Repeat("ab", 64) + "c", "tanaka", "too_long"},
		{strings.Repeat("情報", 64), "", ""},
		{strings.Repeat("情報", 64) + "x", "", "too_long"},
		{"tanaka.taro@city.example.jp", "tanaka.taro@city.example.jp", "is_login_id"},
		{" TANAKA.Taro@City.Example.JP ", "tanaka.taro@city.example.jp", "is_login_id"},
		{"tanaka.taro01", " Tanaka.Taro01 ", "is_login_id"},
		{"tanaka-secret-99", "tanaka", "contains_login_id"},
		{"my-TANAKA-secret", "tanaka", "contains_login_id"},
		{"secret-suzu-99", "suzu", "contains_login_id"},
		{"secret-abc-999", "abc", ""},
		{"aaaaaaaaaaaa", "tanaka", "repeated"},
		{"aAaAaAaAaAaA", "tanaka", "repeated"},
		{"            ", "tanaka", "repeated"},
		{"ああああああああああああ", "tanaka", "repeated"},
		{"aaaaaaaaaaab", "tanaka", ""},
		{"password1234", "tanaka", "common"},
		{"Password2024", "tanaka", "common"},
		{"P@ssw0rd1234", "tanaka", "common"},
		{" qwertyuiop12 ", "tanaka", "common"},
		{"1qaz2wsx3edc", "tanaka", "common"},
		{"Shiyakusho123", "tanaka", "common"},
		{"konnichiwa1234", "tanaka", "common"},
		{"welcome12345", "tanaka", "common"},
		{"administrator1", "tanaka", "common"},
		{"changeme1234", "tanaka", "common"},
	}
	for _, tt := range tests {
		err := CheckPasswordRules(tt.password, tt.loginID)
		var got string
		if err != nil {
			var pe *PasswordError
			if !errors.As(err, &pe) {
				t.Errorf("CheckPasswordRules(%q, %q) = %v, not a *PasswordError", tt.password, tt.loginID, err)
				continue
			}
			got = pe.Reason
			if !strings.HasPrefix(err.Error(), "auth: password refused: ") {
				t.Errorf("Error() = %q", err.Error())
			}
		}
		if got != tt.reason {
			t.Errorf("CheckPasswordRules(%q, %q) reason %q, want %q", tt.password, tt.loginID, got, tt.reason)
		}
	}
}

func TestCommonPasswordList(t *testing.T) {
	if len(commonPasswords) < 150 {
		t.Errorf("%d common passwords, want at least 150", len(commonPasswords))
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line == "" {
			continue
		}
		if seen[line] {
			t.Errorf("duplicate %q", line)
		}
		seen[line] = true
		// Shorter or mixed-case entries could never match, so they would be dead weight.
		if utf8.RuneCountInString(line) < MinPasswordLen || line != strings.ToLower(strings.TrimSpace(line)) {
			t.Errorf("entry %q is shorter than %d, not lower case or padded", line, MinPasswordLen)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	re := regexp.MustCompile(`^[2-9a-km-np-z]{4}(-[2-9a-km-np-z]{4}){3}$`)
	seen := map[string]bool{}
	for range 1000 {
		pw := GeneratePassword()
		if !re.MatchString(pw) {
			t.Fatalf("GeneratePassword() = %q, not xxxx-xxxx-xxxx-xxxx from the alphabet", pw)
		}
		if strings.ContainsAny(pw, "0Oo1lI") {
			t.Fatalf("GeneratePassword() = %q has a look-alike", pw)
		}
		if err := CheckPasswordRules(pw, "tanaka"); err != nil {
			t.Fatalf("GeneratePassword() = %q breaks the rules: %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("GeneratePassword() repeated %q", pw)
		}
		seen[pw] = true
	}
}

func TestAlphabet(t *testing.T) {
	if len(alphabet) != 32 {
		t.Fatalf("alphabet has %d symbols; the &31 mapping needs exactly 32", len(alphabet))
	}
	seen := map[rune]bool{}
	for _, r := range alphabet {
		if seen[r] || strings.ContainsRune("0Oo1lI", r) {
			t.Errorf("alphabet: duplicate or look-alike %q", r)
		}
		seen[r] = true
	}
}
