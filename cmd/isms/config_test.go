package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadConfigDefaults(t *testing.T) {
	c, err := loadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := config{Addr: "127.0.0.1:8080", DataDir: "./var", BaseURL: "http://127.0.0.1:8080", LogFormat: "text",
		SessionIdle: 30 * time.Minute, SessionLifetime: 12 * time.Hour, ImportMaxMB: 20, Demo: true}
	if c != want {
		t.Errorf("defaults = %+v, want %+v", c, want)
	}
}

func TestLoadConfigValues(t *testing.T) {
	c, err := loadConfig(env(map[string]string{
		"ISMS_ADDR":         ":9000",
		"ISMS_DATABASE_URL": "postgres://isms:secret@db:5432/isms",
		"ISMS_BASE_URL":     "https://isms.town.example/",
		"ISMS_LOG_FORMAT":   "json",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9000" || c.BaseURL != "https://isms.town.example" || !c.SecureCookies || c.LogFormat != "json" {
		t.Errorf("got %+v", c)
	}
	c, _ = loadConfig(env(map[string]string{"ISMS_BASE_URL": "https://isms.town.example", "ISMS_SECURE_COOKIES": "false"}))
	if c.SecureCookies {
		t.Error("ISMS_SECURE_COOKIES=false did not override the https default")
	}
	if c, _ = loadConfig(env(map[string]string{"ISMS_IMPORT_MAX_MB": "50"})); c.ImportMaxMB != 50 {
		t.Errorf("ISMS_IMPORT_MAX_MB=50 gave %d", c.ImportMaxMB)
	}
	if c, _ = loadConfig(env(map[string]string{"ISMS_DEMO": "false"})); c.Demo {
		t.Error("ISMS_DEMO=false did not turn the demo off")
	}
	c, _ = loadConfig(env(map[string]string{"ISMS_ADDR": "0.0.0.0:8080"}))
	if c.BaseURL != "http://localhost:8080" {
		t.Errorf("base URL for a wildcard address = %q", c.BaseURL)
	}
}

// Each bad value stops start-up with exit status 2 and one line that names the variable, and a
// database password never appears in the output.
func TestBadConfigurationExitsWithTwo(t *testing.T) {
	for _, tc := range []struct{ name, value string }{
		{"ISMS_ADDR", "8080"},
		{"ISMS_ADDR", "localhost:http-alt"},
		{"ISMS_DATABASE_URL", "mysql://root:hunter2@db/isms"},
		{"ISMS_BASE_URL", "isms.town.example"},
		{"ISMS_SECURE_COOKIES", "maybe"},
		{"ISMS_LOG_FORMAT", "xml"},
		{"ISMS_SESSION_IDLE", "soon"},
		{"ISMS_IMPORT_MAX_MB", "20MB"},
		{"ISMS_SESSION_LIFETIME", "10s"},
		{"ISMS_SECRET_KEY", "hunter2"},
		{"ISMS_DEMO", "sometimes"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), nil, env(map[string]string{tc.name: tc.value}), &stdout, &stderr)
		out := stderr.String()
		if code != 2 || !strings.Contains(out, tc.name) || strings.Count(out, "\n") != 1 {
			t.Errorf("%s=%q: exit %d, stderr %q", tc.name, tc.value, code, out)
		}
		if strings.Contains(out, "hunter2") {
			t.Errorf("%s: the password is printed: %q", tc.name, out)
		}
	}
}

func TestConfigLogValueHidesSecrets(t *testing.T) {
	c, _ := loadConfig(env(map[string]string{"ISMS_DATABASE_URL": "postgres://isms:hunter2@db:5432/isms", "ISMS_SECRET_KEY": "c2VjcmV0c2VjcmV0"}))
	if s := c.LogValue().String(); strings.Contains(s, "hunter2") || strings.Contains(s, "c2VjcmV0c2VjcmV0") || !strings.Contains(s, "db:5432") {
		t.Errorf("LogValue = %s", s)
	}
}

func TestUnknownCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, env(nil), &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "usage") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}
