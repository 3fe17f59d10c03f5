package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func TestNewSealerKeyLength(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33} {
		if _, err := NewSealer(make([]byte, n)); err == nil {
			t.Errorf("NewSealer with a %d-byte key: no error", n)
		}
	}
}

func TestSealer(t *testing.T) {
	s, err := NewSealer(testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewSealer(testKey(2))
	for _, pt := range [][]byte{[]byte("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"), {}, {0}} {
		sealed, err := s.Seal(pt)
		if err != nil {
			t.Fatal(err)
		}
		if len(sealed) != 12+len(pt)+16 {
			t.Errorf("sealed %d bytes, want nonce 12 + %d + tag 16", len(sealed), len(pt))
		}
		if len(pt) > 4 && bytes.Contains(sealed, pt[:4]) {
			t.Errorf("sealed form contains the plaintext")
		}
		got, err := s.Open(sealed)
		if err != nil || !bytes.Equal(got, pt) {
			t.Errorf("round trip of %q: %q, %v", pt, got, err)
		}
		again, _ := s.Seal(pt)
		if bytes.Equal(sealed, again) {
			t.Error("two seals are equal: nonce not random")
		}
		if _, err := other.Open(sealed); err == nil {
			t.Error("opened under the wrong key")
		}
		for i := range sealed {
			bad := bytes.Clone(sealed)
			bad[i] ^= 0x01
			if _, err := s.Open(bad); err == nil {
				t.Errorf("tampered byte %d not detected", i)
			}
		}
		if _, err := s.Open(sealed[:len(sealed)-1]); err == nil {
			t.Error("truncated data opened")
		}
	}
	if _, err := s.Open(nil); err == nil {
		t.Error("opened nil")
	}
}

func TestLoadKeyFromEnv(t *testing.T) {
	want := make([]byte, 32)
	for i := range want {
		want[i] = byte(i * 7)
	}
	path := filepath.Join(t.TempDir(), "never", "key")
	tests := []struct {
		name, env string
		ok        bool
	}{
		{"base64", base64.StdEncoding.EncodeToString(want), true},
		{"base64 with newline", base64.StdEncoding.EncodeToString(want) + "\n", true},
		{"hex", hex.EncodeToString(want), true},
		{"hex upper", strings.ToUpper(hex.EncodeToString(want)), true},
		{"short base64", base64.StdEncoding.EncodeToString(want[:16]), false},
		{"long hex", hex.EncodeToString(append(want, 0)), false},
		{"raw text", "this-is-not-a-key", false},
		{"32 characters of text", strings.Repeat("k", 32), false},
	}
	for _, tt := range tests {
		key, created, err := LoadKey(tt.env, path)
		if created {
			t.Errorf("%s: created a file although the env value was set", tt.name)
		}
		if !tt.ok {
			if err == nil || !strings.Contains(err.Error(), "ISMS_SECRET_KEY must be 32 bytes as base64 or hex") {
				t.Errorf("%s: err %v, want the ISMS_SECRET_KEY message", tt.name, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(key, want) {
			t.Errorf("%s: key %x, err %v", tt.name, key, err)
		}
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Errorf("key directory touched although the env value was set: %v", err)
	}
}

func TestLoadKeyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var", "secret")
	path := filepath.Join(dir, "isms.key")
	key, created, err := LoadKey("", path)
	if err != nil || !created || len(key) != 32 {
		t.Fatalf("first LoadKey: %d bytes, created %v, err %v", len(key), created, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != base64.StdEncoding.EncodeToString(key)+"\n" {
		t.Errorf("file holds %q, want the key as base64 and a newline", data)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
		}
		if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
			t.Errorf("key directory mode %v, want 0700", fi.Mode().Perm())
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("key directory holds %d entries, want only the key (temporary file left?)", len(entries))
	}
	again, created, err := LoadKey("", path)
	if err != nil || created || !bytes.Equal(again, key) {
		t.Errorf("second LoadKey: key equal %v, created %v, err %v", bytes.Equal(again, key), created, err)
	}
	other, _, _ := LoadKey("", filepath.Join(t.TempDir(), "isms.key"))
	if bytes.Equal(other, key) {
		t.Error("two new key files hold the same key")
	}
}

func TestLoadKeyBadFile(t *testing.T) {
	for _, content := range []string{"", "not a key\n", base64.StdEncoding.EncodeToString(make([]byte, 16)) + "\n"} {
		path := filepath.Join(t.TempDir(), "isms.key")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, created, err := LoadKey("", path)
		if err == nil || created || !strings.Contains(err.Error(), path) {
			t.Errorf("content %q: created %v, err %v; want an error naming %s", content, created, err, path)
		}
		if data, _ := os.ReadFile(path); string(data) != content {
			t.Errorf("content %q: bad key file was overwritten", content)
		}
	}
	// A file that cannot be read (here: a directory) is an error too, not a reason to make a key.
	if _, _, err := LoadKey("", t.TempDir()); err == nil {
		t.Error("LoadKey on a directory: no error")
	}
}
