package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const keyLen = 32 // AES-256

// Sealer encrypts small secrets (the TOTP secret) with AES-256-GCM, so that a leaked database
// dump alone does not yield second factors. The sealed form is nonce||ciphertext||tag.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a Sealer for a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != keyLen {
		return nil, fmt.Errorf("auth: sealer key must be %d bytes, got %d", keyLen, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	// A random nonce per Seal: the key lives for years and there is no counter to persist.
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plaintext under a fresh random nonce.
func (s *Sealer) Seal(plaintext []byte) ([]byte, error) {
	return s.aead.Seal(nil, nil, plaintext, nil), nil
}

// Open decrypts sealed; it fails when sealed was altered or sealed under another key.
func (s *Sealer) Open(sealed []byte) ([]byte, error) {
	if len(sealed) < s.aead.Overhead() {
		return nil, errors.New("auth: sealed data too short")
	}
	pt, err := s.aead.Open(nil, nil, sealed, nil)
	if err != nil {
		return nil, errors.New("auth: cannot open sealed data (tampered or wrong key)")
	}
	return pt, nil
}

// LoadKey returns the 32-byte sealing key: from envValue (ISMS_SECRET_KEY) when non-empty, base64
// standard or hex; else from the file at path, which is created on first use (0600, 32 random bytes
// as base64 and a newline, parent directories 0700) so that a fresh install works without setup.
// created reports whether the file was created now.
func LoadKey(envValue, path string) (key []byte, created bool, err error) {
	if envValue != "" {
		key, ok := decodeKey(envValue)
		if !ok {
			// The value is a secret: never echo it.
			return nil, false, errors.New("auth: ISMS_SECRET_KEY must be 32 bytes as base64 or hex")
		}
		return key, false, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		created, err = createKeyFile(path)
		if err != nil {
			return nil, false, err
		}
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, false, fmt.Errorf("auth: read key file: %w", err)
	}
	key, ok := decodeKey(string(data))
	if !ok {
		return nil, false, fmt.Errorf("auth: key file %s must hold 32 bytes as base64 or hex", path)
	}
	return key, created, nil
}

// decodeKey accepts base64 (44 characters) or hex (64). The two cannot be confused: 64 hex digits
// are valid base64 too, but of 48 bytes.
func decodeKey(s string) ([]byte, bool) {
	s = strings.TrimSpace(s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == keyLen {
		return b, true
	}
	if b, err := hex.DecodeString(s); err == nil && len(b) == keyLen {
		return b, true
	}
	return nil, false
}

// createKeyFile writes a new key to path unless another process got there first. The key is written
// to a temporary file and hard-linked into place, so that no reader ever sees a half-written key
// and two processes starting together agree on one key. It reports whether this call created it.
func createKeyFile(path string) (bool, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, fmt.Errorf("auth: create key directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".key-*") // CreateTemp makes it 0600
	if err != nil {
		return false, fmt.Errorf("auth: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	key := make([]byte, keyLen)
	rand.Read(key)
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("auth: write key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, fmt.Errorf("auth: create key file: %w", err)
	}
	return true, nil
}
