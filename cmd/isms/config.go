package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jichitai-isms/isms/internal/auth"
)

// config is the portal's configuration, read from ISMS_* environment variables. Every variable
// has a safe default; a bad value stops start-up with one line naming it.
type config struct {
	Addr          string // ISMS_ADDR: where to listen
	DatabaseURL   string // ISMS_DATABASE_URL: an existing server; empty means a private cluster in DataDir
	DataDir       string // ISMS_DATA_DIR: the private cluster and other local state
	BaseURL       string // ISMS_BASE_URL: the address people use to reach the portal
	SecureCookies bool   // ISMS_SECURE_COOKIES: session cookie over HTTPS only
	LogFormat     string // ISMS_LOG_FORMAT: text or json
	// SecretKey (ISMS_SECRET_KEY) seals secrets at rest; empty means the key file in DataDir.
	SecretKey string
	// Sessions end after SessionIdle without use (ISMS_SESSION_IDLE) and SessionLifetime after
	// sign-in (ISMS_SESSION_LIFETIME).
	SessionIdle, SessionLifetime time.Duration
	// ImportMaxMB (ISMS_IMPORT_MAX_MB) bounds an uploaded spreadsheet, in megabytes.
	ImportMaxMB int
	// Demo (ISMS_DEMO) loads the fictional demo town at the very first start, into an empty
	// organisation. A real town sets it to false before that start.
	Demo bool
}

// configError names the variable that is wrong; it is printed as the single line at start-up.
type configError struct {
	name, msg string
}

func (e *configError) Error() string { return e.name + ": " + e.msg }

func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		Addr:            "127.0.0.1:8080",
		DataDir:         "./var",
		LogFormat:       "text",
		SessionIdle:     30 * time.Minute,
		SessionLifetime: 12 * time.Hour,
		ImportMaxMB:     20,
		Demo:            true,
	}
	str := func(name string, dst *string) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	str("ISMS_ADDR", &c.Addr)
	str("ISMS_DATABASE_URL", &c.DatabaseURL)
	str("ISMS_DATA_DIR", &c.DataDir)
	str("ISMS_BASE_URL", &c.BaseURL)
	str("ISMS_LOG_FORMAT", &c.LogFormat)
	str("ISMS_SECRET_KEY", &c.SecretKey)
	for name, dst := range map[string]*time.Duration{"ISMS_SESSION_IDLE": &c.SessionIdle, "ISMS_SESSION_LIFETIME": &c.SessionLifetime} {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Minute {
				return c, &configError{name, fmt.Sprintf("%q is not a duration of a minute or more (for example 30m or 12h)", v)}
			}
			*dst = d
		}
	}

	if _, port, err := net.SplitHostPort(c.Addr); err != nil || !validPort(port) {
		return c, &configError{"ISMS_ADDR", fmt.Sprintf("%q is not host:port (for example 127.0.0.1:8080 or :8080)", c.Addr)}
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			// The value may hold a password: never echo it.
			return c, &configError{"ISMS_DATABASE_URL", "must be a postgres:// URL (for example postgres://isms:secret@db.example:5432/isms)"}
		}
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + displayAddr(c.Addr)
	} else if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, &configError{"ISMS_BASE_URL", fmt.Sprintf("%q is not an absolute http(s) URL (for example https://isms.town.lg.jp)", c.BaseURL)}
	} else {
		c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	}
	c.SecureCookies = strings.HasPrefix(c.BaseURL, "https://")
	if v := strings.TrimSpace(getenv("ISMS_SECURE_COOKIES")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, &configError{"ISMS_SECURE_COOKIES", fmt.Sprintf("%q is not true or false", v)}
		}
		c.SecureCookies = b
	}
	if v := strings.TrimSpace(getenv("ISMS_DEMO")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, &configError{"ISMS_DEMO", fmt.Sprintf("%q is not true or false", v)}
		}
		c.Demo = b
	}
	if v := strings.TrimSpace(getenv("ISMS_IMPORT_MAX_MB")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1024 {
			return c, &configError{"ISMS_IMPORT_MAX_MB", fmt.Sprintf("%q is not a number of megabytes from 1 to 1024", v)}
		}
		c.ImportMaxMB = n
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, &configError{"ISMS_LOG_FORMAT", fmt.Sprintf("%q is not text or json", c.LogFormat)}
	}
	if c.SecretKey != "" {
		// The value is a secret: the message never repeats it.
		if _, _, err := auth.LoadKey(c.SecretKey, ""); err != nil {
			return c, &configError{"ISMS_SECRET_KEY", "must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)"}
		}
	}
	return c, nil
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}

// displayAddr turns a listen address into one a browser can open (":8080" → "localhost:8080").
func displayAddr(addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// LogValue keeps the database password out of logs.
func (c config) LogValue() slog.Value {
	db := "private cluster in " + c.DataDir
	if c.DatabaseURL != "" {
		db = redactURL(c.DatabaseURL)
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("base_url", c.BaseURL),
		slog.String("database", db),
		slog.Bool("secure_cookies", c.SecureCookies),
		slog.String("log_format", c.LogFormat),
		slog.Bool("secret_key_from_env", c.SecretKey != ""),
		slog.Duration("session_idle", c.SessionIdle),
		slog.Duration("session_lifetime", c.SessionLifetime),
		slog.Bool("demo", c.Demo),
	)
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(invalid URL)"
	}
	return u.Redacted()
}
