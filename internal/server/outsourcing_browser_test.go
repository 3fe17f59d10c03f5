package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// A cloud service from request to use, in the browser: 佐藤 of 税務課 asks to use an electronic
// filing service for 自治体機密性2; 田中, the 課's 情報セキュリティ管理者, approves it and names 佐藤
// its 外部サービス管理者. The 住民税 ledger (3B) cannot be placed in it — the form says why beside
// the field — until 佐藤 asks for 3B and 田中 approves that too; then the ledger names it.
func TestBrowserExternalServiceLevel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tax := e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	sato := e.orgPerson(t, "佐藤 一郎", "0123-45-1101", tax.ID)
	tanaka := e.orgPerson(t, "田中 次郎", "0123-45-1100", tax.ID)
	e.orgAssign(t, tanaka.ID, isms.RoleCodeISM, tax.ID, false)
	account := func(login string, p isms.Person) string {
		u, secret := e.createUser(t, login, isms.RoleStaff, tax.ID, true)
		if err := e.db.LinkPersonUser(ctx, system, p.ID, u.ID, p.Version); err != nil {
			t.Fatal(err)
		}
		return secret
	}
	satoSecret, tanakaSecret := account("sato", sato), account("tanaka", tanaka)
	hours, day, due := 24, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	ledger, _, err := e.db.CreateAsset(ctx, system, isms.AssetInput{Name: "住民税課税台帳", Type: "INFO_ELECTRONIC",
		UnitID: tax.ID, Form: isms.FormElectronic, Zone: isms.ZoneLGWAN, C: "LGC3B", I: "LGI2", A: "LGA2",
		ContainsPersonal: true, BackupPolicy: "日次", RecoveryHours: &hours, ClassifiedAt: &day, ReviewDue: &due,
		Status: isms.AssetInUse})
	if err != nil {
		t.Fatal(err)
	}

	p := browsertest.NewPage(t)
	signedIn := false
	signInAs := func(login, secret string) {
		if signedIn {
			p.Click(`form[action="/logout"] button`)
		}
		signedIn = true
		e.clock.Advance(time.Minute) // a fresh second-factor code
		e.browserSignIn(p, login, testPassword, secret)
	}
	open := func(path string) { p.Run("open "+path, chromedp.Navigate(e.srv.URL+path)) }
	approve := func(servicePath, level string) {
		t.Helper()
		signInAs("tanaka", tanakaSecret)
		open(servicePath)
		p.Run("approve for "+level,
			chromedp.SetValue(chromedp.ID("level"), level),
			chromedp.SetValue(chromedp.ID("admin_person_id"), itoa(sato.ID)))
		p.Click(`#decide-form button[value="approve"]`)
		if got := p.Text(".alert-ok"); got == "" {
			t.Fatalf("approving %s: no confirmation", level)
		}
	}
	linkLedger := func() {
		t.Helper()
		open("/assets/" + itoa(ledger.ID) + "/edit")
		p.Run("name the service", chromedp.SetValue(chromedp.ID("outsourced_to"), "external_service:1"))
		p.Click(`form.asset-form button[type="submit"]`)
	}

	// 佐藤 asks to use the service, from the menu.
	signInAs("sato", satoSecret)
	p.Click(`nav a[href="/outsourcing"]`)
	p.Click(`a[href="/external-services"]`)
	p.Click(`a[href="/external-services/new"]`)
	p.Run("describe the service",
		chromedp.SendKeys(chromedp.ID("name"), "電子申告受付クラウド"),
		chromedp.SendKeys(chromedp.ID("provider"), "株式会社みどり情報サービス"),
		chromedp.SendKeys(chromedp.ID("purpose"), "住民税の電子申告の受付"),
		chromedp.SetValue(chromedp.ID("unit_id"), itoa(tax.ID)),
		chromedp.SetValue(chromedp.ID("requested_level"), "LGC2"),
		chromedp.SetValue(chromedp.ID("contract_form"), "contract"),
		chromedp.SetValue(chromedp.ID("data_location"), "domestic"))
	p.Click(`form[action="/external-services"] button[type="submit"]`)
	service := p.Path()
	if service != "/external-services/1" {
		t.Fatalf("after the request: at %s", service)
	}

	approve(service, "LGC2")
	if got := p.Text(`main`); !strings.Contains(got, "佐藤 一郎") {
		t.Errorf("the 外部サービス管理者 is not shown on the service's page")
	}

	// Approved for 2, the service cannot hold the 3B ledger: the form says so beside the field.
	signInAs("sato", satoSecret)
	linkLedger()
	if got := p.Text("#outsourced_to-error"); !strings.Contains(got, "承認されていません") {
		t.Fatalf("linking the 3B ledger to a service approved for 2: %q", got)
	}

	// 佐藤 asks for 3B; once 田中 approves it, the ledger names the service.
	open(service)
	p.Run("ask for 3B",
		chromedp.SetValue(chromedp.ID("raise_level"), "LGC3B"),
		chromedp.SendKeys(chromedp.ID("raise-reason"), "課税台帳の電子申告データを扱うため"))
	p.Click(`#raise-form button[type="submit"]`)
	approve(service, "LGC3B")
	signInAs("sato", satoSecret)
	linkLedger()
	if got := p.Path(); got != "/assets/"+itoa(ledger.ID) {
		t.Fatalf("saving the link: at %s, error %q", got, p.Text("#outsourced_to-error"))
	}
	if got := p.Text(`a[href="/external-services/1"]`); !strings.Contains(got, "電子申告受付クラウド") {
		t.Errorf("the asset's page names %q", got)
	}
	// The service's page lists the ledger among its assets.
	open(service)
	if got := p.Text(`[data-testid="outsourced-assets"]`); !strings.Contains(got, "住民税課税台帳") {
		t.Errorf("the service's assets: %q", got)
	}
}
