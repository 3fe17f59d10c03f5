package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// dashTown is 総務部 with 税務課 (two assets at 2 in LGWAN, one overdue for review, and a
// 管理者) and 住民課 (one asset, no 管理者).
type dashTown struct {
	dept, tax, life isms.Unit
	manager         *http.Client
}

func newDashTown(t *testing.T, e *testEnv) dashTown {
	t.Helper()
	w := dashTown{dept: e.orgUnit(t, "100", "総務部", isms.UnitDepartment, 0)}
	w.tax = e.orgUnit(t, "110", "税務課", isms.UnitSection, w.dept.ID)
	w.life = e.orgUnit(t, "120", "住民課", isms.UnitSection, 0)
	e.reqAsset(t, "固定資産税課税台帳", w.tax.ID, "LGC2")
	from, due := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	e.createAsset(t, isms.AssetInput{Name: "軽自動車税の申告書", Type: "INFO_ELECTRONIC", UnitID: w.tax.ID,
		Form: isms.FormElectronic, Zone: isms.ZoneLGWAN, C: "LGC2", I: "LGI1", A: "LGA1", Status: isms.AssetInUse,
		ClassifiedAt: &from, ReviewDue: &due})
	e.reqAsset(t, "住民票の写し交付記録", w.life.ID, "LGC2")
	kato := e.orgPerson(t, "加藤 花子", "0123-45-1102", w.tax.ID)
	e.orgAssign(t, kato.ID, isms.RoleCodeISM, w.tax.ID, false)
	w.manager = e.orgSignInAsPerson(t, "kato", kato)
	return w
}

// The CISO's dashboard shows every unit's measures with their states in words, the figures of
// the town linking to their lists, and the assets by level and zone; a 管理者 sees their unit
// alone; staff who follow no unit are sent to their department page.
func TestDashboardPage(t *testing.T) {
	e := newEnv(t)
	w := newDashTown(t, e)
	ciso, _ := e.loginAs(t, "ciso", isms.RoleCISO, 0)
	res, body := get(t, ciso, e.srv.URL+"/dashboard")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", res.StatusCode)
	}
	heat := between(body, `id="dash-heat"`, `</table>`)
	tax := between(heat, "税務課", "</tr>")
	for _, want := range []string{`href="/assets?unit=` + itoa(w.tax.ID) + `&amp;overdue=1&amp;sort=review_due"`,
		"要対応", "未確認"} {
		if !strings.Contains(tax, want) {
			t.Errorf("税務課's row lacks %q: %s", want, tax)
		}
	}
	if life := between(heat, "住民課", "</tr>"); !strings.Contains(life, "1件") || !strings.Contains(life, "要対応") {
		t.Errorf("住民課's row (a vacant 管理者) %s", life)
	}
	if !strings.Contains(between(heat, "<tfoot>", "</tfoot>"), "<td class=\"num\">3</td>") {
		t.Errorf("the total row does not count 3 assets: %s", between(heat, "<tfoot>", "</tfoot>"))
	}
	attention := between(body, `id="dash-attention-h"`, `</section>`)
	if !strings.Contains(attention, "税務課: 見直し期限切れ (1件)") {
		t.Errorf("where to act first: %s", attention)
	}
	matrix := between(body, `class="list dash-matrix"`, `</table>`)
	if !strings.Contains(matrix, `<a href="/assets?c=LGC2&amp;zone=LGWAN">3</a>`) {
		t.Errorf("the level × zone table lacks the 3 assets at 2 in LGWAN: %s", matrix)
	}
	if !strings.Contains(body, `href="/dashboard/units?fy=2026"`) {
		t.Error("the CISO has no link to the overview")
	}
	// In English, every measure has its words.
	if res, _ := post(t, ciso, e.srv.URL+"/lang", url.Values{"lang": {"en"}, "next": {"/dashboard"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("switching to English: %d", res.StatusCode)
	}
	_, body = get(t, ciso, e.srv.URL+"/dashboard")
	if heat = between(body, `id="dash-heat"`, `</table>`); !strings.Contains(heat, "Reviews overdue") || !strings.Contains(heat, "Act") ||
		strings.Contains(heat, "dashboard.") {
		t.Errorf("the English heat map: %s", heat)
	}

	// The 管理者 of 税務課 sees 税務課 alone, and no link to the overview of all units.
	_, body = get(t, w.manager, e.srv.URL+"/dashboard")
	heat = between(body, `id="dash-heat"`, `</table>`)
	if !strings.Contains(heat, "税務課") || strings.Contains(heat, "住民課") || strings.Contains(body, "/dashboard/units") {
		t.Errorf("the 管理者's dashboard: %s", heat)
	}
	staff, _ := e.loginAs(t, "life", isms.RoleStaff, w.life.ID)
	if res, _ = get(t, staff, e.srv.URL+"/dashboard"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/units/"+itoa(w.life.ID) {
		t.Errorf("staff get %d to %q, want their unit's page", res.StatusCode, res.Header.Get("Location"))
	}
}

// The department page shows the measures of the unit and its sub-units to those who follow it.
func TestUnitPageMeasures(t *testing.T) {
	e := newEnv(t)
	w := newDashTown(t, e)
	ciso, _ := e.loginAs(t, "ciso", isms.RoleCISO, 0)
	_, body := get(t, ciso, e.srv.URL+"/units/"+itoa(w.dept.ID))
	section := between(body, `id="measures-h"`, `</section>`)
	for _, want := range []string{"総務部", "税務課", "合計", "見直し期限切れ"} {
		if !strings.Contains(section, want) {
			t.Errorf("総務部's measures lack %q: %s", want, section)
		}
	}
	if strings.Contains(section, "住民課") {
		t.Errorf("総務部's measures list 住民課: %s", section)
	}
	_, body = get(t, w.manager, e.srv.URL+"/units/"+itoa(w.tax.ID))
	if section = between(body, `id="measures-h"`, `</section>`); !strings.Contains(section, "税務課") || !strings.Contains(section, "要対応") {
		t.Errorf("the 管理者's department page: %s", section)
	}
	staff, _ := e.loginAs(t, "life", isms.RoleStaff, w.life.ID)
	if _, body = get(t, staff, e.srv.URL+"/units/"+itoa(w.tax.ID)); strings.Contains(body, `id="measures-h"`) {
		t.Error("住民課 staff see 税務課's measures")
	}
}
