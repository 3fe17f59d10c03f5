package auth

import (
	"bytes"
	"encoding/base32"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
)

// rfcSecret is the SHA-1 seed of RFC 6238 appendix B, ASCII "12345678901234567890", in base32.
var rfcSecret = b32NoPad.EncodeToString([]byte("12345678901234567890"))

func TestTOTPRFC6238Vectors(t *testing.T) {
	tests := []struct {
		unix  int64
		eight string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	}
	for _, tt := range tests {
		got, err := totpAt(rfcSecret, tt.unix/30, otp.DigitsEight)
		if err != nil || got != tt.eight {
			t.Errorf("T=%d: 8 digits %q (%v), want %q", tt.unix, got, err, tt.eight)
		}
		six, err := TOTPCode(rfcSecret, time.Unix(tt.unix, 0))
		if err != nil || six != tt.eight[2:] {
			t.Errorf("T=%d: TOTPCode %q (%v), want %q", tt.unix, six, err, tt.eight[2:])
		}
	}
}

func TestNewTOTPSecret(t *testing.T) {
	a, err := NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewTOTPSecret()
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(a)
	if err != nil || len(raw) != 20 || strings.Contains(a, "=") {
		t.Errorf("secret %q: %d bytes, err %v; want 20 bytes of unpadded base32", a, len(raw), err)
	}
	if a == b {
		t.Error("two secrets are equal")
	}
	if _, err := TOTPCode(a, time.Now()); err != nil {
		t.Errorf("new secret unusable: %v", err)
	}
}

func TestCheckTOTP(t *testing.T) {
	now := time.Unix(1111111111, 0) // step 37037037, 1 s into it
	step := now.Unix() / 30
	code := func(d int64) string {
		c, err := TOTPCode(rfcSecret, now.Add(time.Duration(d)*30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// The test relies on five distinct codes around now; check rather than assume.
	seen := map[string]bool{}
	for d := int64(-2); d <= 2; d++ {
		seen[code(d)] = true
	}
	if len(seen) != 5 {
		t.Fatal("codes around now collide; pick another time")
	}
	c0 := code(0) // "050471"
	spaced := c0[:3] + " " + c0[3:]
	fullWidth := strings.Map(func(r rune) rune { return r - '0' + '０' }, c0)
	tests := []struct {
		name     string
		code     string
		lastStep int64
		step     int64
		ok       bool
	}{
		{"current", c0, 0, step, true},
		{"one before", code(-1), 0, step - 1, true},
		{"one after", code(1), 0, step + 1, true},
		{"two before", code(-2), 0, 0, false},
		{"two after", code(2), 0, 0, false},
		{"replay", c0, step, 0, false},
		{"older after newer", code(-1), step, 0, false},
		{"newer after older", code(1), step, step + 1, true},
		{"current after previous", c0, step - 1, step, true},
		{"spaces", spaced, 0, step, true},
		{"surrounding spaces", " " + c0 + "\t", 0, step, true},
		{"full width", fullWidth, 0, step, true},
		{"full width with ideographic space", fullWidth[:9] + "\u3000" + fullWidth[9:], 0, step, true},
		{"wrong", "000000", 0, 0, false},
		{"empty", "", 0, 0, false},
		{"five digits", c0[:5], 0, 0, false},
		{"seven digits", c0 + "0", 0, 0, false},
		{"letters", "05o471", 0, 0, false},
		{"hyphen", c0[:3] + "-" + c0[3:], 0, 0, false},
	}
	for _, tt := range tests {
		s, ok := CheckTOTP(rfcSecret, tt.code, now, tt.lastStep)
		if ok != tt.ok || s != tt.step {
			t.Errorf("%s: CheckTOTP(%q, last %d) = %d, %v; want %d, %v", tt.name, tt.code, tt.lastStep, s, ok, tt.step, tt.ok)
		}
	}
	if _, ok := CheckTOTP("not base32!", c0, now, 0); ok {
		t.Error("accepted with a broken secret")
	}
}

func TestTOTPURL(t *testing.T) {
	secret := "JBSWY3DPEHPK3PXP"
	raw := TOTPURL("ISMS Portal", "tanaka.taro", secret)
	if strings.Contains(raw, "+") {
		t.Errorf("URI %q encodes a space as +", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/ISMS Portal:tanaka.taro" ||
		q.Get("secret") != secret || q.Get("issuer") != "ISMS Portal" ||
		q.Get("algorithm") != "SHA1" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("URI %q has the wrong parts", raw)
	}
	key, err := otp.NewKeyFromURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	if key.Issuer() != "ISMS Portal" || key.AccountName() != "tanaka.taro" || key.Secret() != secret {
		t.Errorf("key read back: issuer %q account %q secret %q", key.Issuer(), key.AccountName(), key.Secret())
	}
}

func TestTOTPQR(t *testing.T) {
	b, err := TOTPQR("ISMS Portal", "tanaka.taro", rfcSecret)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if r := img.Bounds(); r.Dx() != 240 || r.Dy() != 240 {
		t.Errorf("QR is %v, want 240×240", r)
	}
	other, _ := TOTPQR("ISMS Portal", "suzuki", rfcSecret)
	if bytes.Equal(b, other) {
		t.Error("QR does not depend on the account")
	}
}
