package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"image/png"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// TOTP settings of RFC 6238 as authenticator apps expect them; several apps ignore the
// algorithm, digits and period of the URI, so other values would silently break enrolment.
const (
	totpPeriod    = 30
	totpDigits    = otp.DigitsSix
	totpSecretLen = 20 // bytes: the HMAC-SHA1 block output size RFC 4226 recommends
	totpQRSize    = 240
)

var b32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a new secret of 20 random bytes as base32 without padding, the form
// authenticator apps take.
func NewTOTPSecret() (secret string, err error) {
	b := make([]byte, totpSecretLen)
	rand.Read(b)
	return b32NoPad.EncodeToString(b), nil
}

// TOTPURL returns the otpauth:// URI for enrolment (issuer e.g. "ISMS Portal", account = login id).
func TOTPURL(issuer, account, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", totpDigits.String())
	v.Set("period", "30")
	u := url.URL{
		Scheme: "otpauth",
		Host:   "totp",
		Path:   "/" + issuer + ":" + account,
		// Encode writes a space as "+", which some apps display literally; %20 is read right by all.
		RawQuery: strings.ReplaceAll(v.Encode(), "+", "%20"),
	}
	return u.String()
}

// TOTPQR returns the otpauth URI as a 240 px PNG QR code, for an <img src="data:image/png;base64,…">.
func TOTPQR(issuer, account, secret string) ([]byte, error) {
	key, err := otp.NewKeyFromURL(TOTPURL(issuer, account, secret))
	if err != nil {
		return nil, err
	}
	img, err := key.Image(totpQRSize, totpQRSize)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CheckTOTP accepts code for the step of now, one before or one after (clock drift and the time to
// type) and returns the matched step number (unix seconds / 30). It refuses a code whose step is
// <= lastStep, so a code can never be used twice and an older code is refused after a newer one
// was used. Spaces and full-width digits (Japanese IMEs) in code are accepted.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = normaliseTOTPCode(code)
	if len(code) != int(totpDigits) || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	cur := now.Unix() / totpPeriod
	// Oldest first: should two steps ever share a code, taking the older one burns fewer steps.
	for s := cur - 1; s <= cur+1; s++ {
		if s <= lastStep || s < 0 {
			continue
		}
		want, err := totpAt(secret, s, totpDigits)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

func normaliseTOTPCode(code string) string {
	return strings.Map(func(r rune) rune {
		r = halfWidth(r)
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, code)
}

// TOTPCode computes the code of secret at t, acting like an authenticator app (for tests).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totpAt(secret, t.Unix()/totpPeriod, totpDigits)
}

// totpAt is TOTP as HOTP over the step counter (RFC 6238 §4), with the digits a parameter so that
// tests can use the 8-digit vectors of the RFC.
func totpAt(secret string, step int64, digits otp.Digits) (string, error) {
	return hotp.GenerateCodeCustom(secret, uint64(step), hotp.ValidateOpts{
		Digits:    digits,
		Algorithm: otp.AlgorithmSHA1,
	})
}
