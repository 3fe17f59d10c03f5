// Package browsertest drives the machine's own headless Chromium (Debian package `chromium`) for
// tests that check pages as a person sees them. Nothing is downloaded: when Chromium is missing,
// the test fails with the command that installs it.
package browsertest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Install is the command that puts Chromium and a Japanese font on a Debian machine.
const Install = "apt-get install -y chromium fonts-ipafont-gothic"

// ChromiumPath returns the path of the Chromium binary.
func ChromiumPath() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("Chromium is not installed; run `make test` as root (it installs it) or `" + Install + "`")
}

// New starts a headless Chromium for t and returns a context for chromedp actions on one tab,
// limited to two minutes. The browser and its profile folder go away when the test ends; a test
// that fails leaves a screenshot of its last page in the temporary folder and logs its path.
func New(t testing.TB) context.Context {
	t.Helper()
	path, err := ChromiumPath()
	if err != nil {
		t.Fatal(err)
	}
	// Chromium writes profiles and sockets under TMPDIR: a folder per test keeps /tmp clean.
	dir, err := os.MkdirTemp("", "isms-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Env("TMPDIR="+dir),
		chromedp.NoSandbox, // Chromium refuses its sandbox as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "ja-JP"),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(func(string, ...any) {}))
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancelTab()
		cancelAlloc()
		os.RemoveAll(dir)
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	limited, cancelLimit := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		if t.Failed() {
			screenshot(t, ctx)
		}
		cancelLimit()
		cancelTab()
		cancelAlloc()
		os.RemoveAll(dir)
	})
	return limited
}

func screenshot(t testing.TB, ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	p := filepath.Join(os.TempDir(), "isms-failure-"+name+".png")
	if os.WriteFile(p, png, 0o644) == nil {
		t.Logf("screenshot of the last page: %s", p)
	}
}
