package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jichitai-isms/isms/internal/browsertest"
	"github.com/jichitai-isms/isms/internal/isms"
)

// The approvals of transport, provision and disposal (V-A2, V-A3) through the pages, as the people
// of a small town use them: 税務課 with a member of staff (佐藤) and two 情報セキュリティ管理者
// (加藤, 森), and 住民生活課 with its own 管理者 (鈴木).
type reqTown struct {
	tax, life                    isms.Unit
	sato, kato, mori, suzuki     *http.Client
	satoID, katoID, moriID, suID int64
}

func newReqTown(t *testing.T, e *testEnv) reqTown {
	t.Helper()
	var tw reqTown
	tw.tax = e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	tw.life = e.orgUnit(t, "120", "住民生活課", isms.UnitSection, 0)
	sato := e.orgPerson(t, "佐藤 一郎", "0123-45-1101", tw.tax.ID)
	kato := e.orgPerson(t, "加藤 花子", "0123-45-1102", tw.tax.ID)
	mori := e.orgPerson(t, "森 次郎", "0123-45-1103", tw.tax.ID)
	suzuki := e.orgPerson(t, "鈴木 三郎", "0123-45-1201", tw.life.ID)
	e.orgAssign(t, kato.ID, isms.RoleCodeISM, tw.tax.ID, false)
	e.orgAssign(t, mori.ID, isms.RoleCodeISM, tw.tax.ID, false)
	e.orgAssign(t, suzuki.ID, isms.RoleCodeISM, tw.life.ID, false)
	tw.sato = e.orgSignInAsPerson(t, "sato", sato)
	tw.kato = e.orgSignInAsPerson(t, "kato", kato)
	tw.mori = e.orgSignInAsPerson(t, "mori", mori)
	tw.suzuki = e.orgSignInAsPerson(t, "suzuki", suzuki)
	return tw
}

// reqAsset registers an asset of the unit at confidentiality c, as the portal itself.
func (e *testEnv) reqAsset(t *testing.T, name string, unitID int64, c string) isms.Asset {
	t.Helper()
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	due := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	a, _, err := e.db.CreateAsset(context.Background(), system, isms.AssetInput{
		Name: name, Type: "INFO_ELECTRONIC", UnitID: unitID, Form: isms.FormElectronic, Zone: isms.ZoneLGWAN,
		C: c, I: "LGI1", A: "LGA1", Status: isms.AssetInUse, ClassifiedAt: &from, ReviewDue: &due})
	if err != nil {
		t.Fatalf("create asset %s: %v", name, err)
	}
	return a
}

// reqID is the request's id from where a POST sent the browser.
func reqID(t *testing.T, res *http.Response) string {
	t.Helper()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/requests/") {
		t.Fatalf("status %d to %q, want 303 to a request", res.StatusCode, loc)
	}
	return strings.TrimPrefix(loc, "/requests/")
}

// reqVersion is the version carried by the first form of a request's page.
func reqVersion(t *testing.T, c *http.Client, base, id string) string {
	t.Helper()
	_, body := get(t, c, base+"/requests/"+id)
	v := between(body, `name="version" value="`, `"`)
	if v == "" {
		t.Fatalf("request %s: no form with a version", id)
	}
	return v
}

// fieldMessage is the error shown beside a field: the paragraph the field's aria-describedby names.
func fieldMessage(body, id string) string {
	return visible(between(body, `id="`+id+`-error">`, `</p>`))
}

// The whole flow for a 3B asset: asked by a 管理者, who then cannot approve it; staff cannot
// decide, the 管理者 of another section does not even find it; the second 管理者 approves from
// the inbox; the completion is refused without the method, then recorded, and the asset page shows
// it 廃棄済 with its disposal record.
func TestDisposalApprovalFlow(t *testing.T) {
	e := newEnv(t)
	tw := newReqTown(t, e)
	a := e.reqAsset(t, "課税資料USBメモリ", tw.tax.ID, "LGC3B")
	assetURL := e.srv.URL + "/assets/" + itoa(a.ID)

	_, body := get(t, tw.kato, assetURL)
	orgWant(t, "asset page", body, "運搬を申請", "外部提供を申請", "廃棄を申請", "情報セキュリティ管理者の承認が必要",
		`href="/assets/`+itoa(a.ID)+`/requests/new?kind=dispose"`)
	res, body := get(t, tw.kato, assetURL+"/requests/new?kind=dispose")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("request form: %d", res.StatusCode)
	}
	orgWant(t, "request form", body, "廃棄の申請: 課税資料USBメモリ", `<label for="detail">`, `<label for="planned_on">`)

	// A request without its details comes back with the message beside the field.
	res, body = post(t, tw.kato, assetURL+"/requests", url.Values{"kind": {"dispose"}, "detail": {" "}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMessage(body, "detail") != "入力してください。" {
		t.Errorf("empty request: %d, message %q", res.StatusCode, fieldMessage(body, "detail"))
	}
	if !strings.Contains(body, `aria-describedby="detail-error"`) {
		t.Error("the refused field is not described by its error")
	}
	res, _ = post(t, tw.kato, assetURL+"/requests", url.Values{"kind": {"dispose"}, "detail": {"故障のため廃棄する"},
		"method": {"物理破壊の上、委託業者へ引渡し"}, "planned_on": {"2026-12-01"}}, nil)
	id := reqID(t, res)
	reqURL := e.srv.URL + "/requests/" + id

	// The requester, although a 管理者, cannot approve: the page says why, beside the note.
	version := reqVersion(t, tw.kato, e.srv.URL, id)
	_, body = get(t, tw.kato, reqURL)
	orgWant(t, "own request page", body, "ご自身の申請です", "申請を取り下げる")
	orgNot(t, "own request page", body, ">承認する<")
	res, body = post(t, tw.kato, reqURL+"/approve", url.Values{"version": {version}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(visible(body), "申請者本人は自分の申請を承認できません（兼務の禁止）") {
		t.Errorf("approving one's own request: %d", res.StatusCode)
	}
	// Staff may not decide (403); the 管理者 of another section does not find it (404).
	if res, _ := post(t, tw.sato, reqURL+"/approve", url.Values{"version": {version}}, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff approving: %d, want 403", res.StatusCode)
	}
	if res, _ := post(t, tw.suzuki, reqURL+"/approve", url.Values{"version": {version}}, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("管理者 of 住民生活課 approving: %d, want 404", res.StatusCode)
	}
	if res, _ := get(t, tw.suzuki, reqURL); res.StatusCode != http.StatusNotFound {
		t.Errorf("管理者 of 住民生活課 reading the request: %d, want 404", res.StatusCode)
	}
	// A cross-origin approval is refused before it reaches the handler.
	if res, _ := post(t, tw.mori, reqURL+"/approve", url.Values{"version": {version}}, map[string]string{"Sec-Fetch-Site": "cross-site"}); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin approval: %d, want 403", res.StatusCode)
	}

	// The second 管理者 sees it waiting, in the menu and in the inbox, and approves it there.
	_, body = get(t, tw.mori, e.srv.URL+"/")
	if nav := visible(between(body, `<nav class="main-nav"`, `</nav>`)); !strings.Contains(nav, "承認待ち 1件") {
		t.Errorf("menu of the 管理者: %q", nav)
	}
	_, body = get(t, tw.mori, e.srv.URL+"/requests")
	orgWant(t, "inbox", body, "廃棄の申請: 課税資料USBメモリ", "故障のため廃棄する", "承認待ち 1件", ">承認する<", ">承認しない<",
		`<label for="note-`+id+`">`)
	if _, body := get(t, tw.sato, e.srv.URL+"/"); strings.Contains(body, `href="/requests"`) {
		t.Error("staff have the inbox in their menu")
	}
	res, _ = post(t, tw.mori, reqURL+"/approve", url.Values{"version": {version}, "note": {"物理破壊に立ち会うこと"}, "back": {"inbox"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/requests" {
		t.Fatalf("approval: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, tw.mori, e.srv.URL+"/requests")
	orgWant(t, "inbox after approval", body, "申請を承認しました。", "承認済（実施待ち）", "実施待ち 1件")
	// Approving again is a conflict, shown as such.
	if res, body := post(t, tw.mori, reqURL+"/approve", url.Values{"version": {version}}, nil); res.StatusCode != http.StatusConflict || !strings.Contains(body, "他の人が先に更新しました") {
		t.Errorf("approving twice: %d", res.StatusCode)
	}

	// Staff record the disposal: without its method it is refused, the typed values kept.
	version = reqVersion(t, tw.sato, e.srv.URL, id)
	_, body = get(t, tw.sato, reqURL)
	orgWant(t, "approved request", body, "廃棄記録の入力", `<label for="disposed_at">`, `<label for="disposal_method">`, `<label for="evidence">`, "試験 mori")
	record := url.Values{"version": {version}, "disposed_at": {"2026-11-20T14:30"}, "disposed_by": {"佐藤 一郎（立会: 加藤 花子）"},
		"disposal_method": {""}, "evidence": {"消去証明書 第2026-118号"}}
	res, body = post(t, tw.sato, reqURL+"/complete", record, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMessage(body, "disposal_method") != "廃棄の方法を選んでください。" {
		t.Errorf("completion without method: %d, %q", res.StatusCode, fieldMessage(body, "disposal_method"))
	}
	orgWant(t, "refused completion", body, `value="2026-11-20T14:30"`, "消去証明書 第2026-118号")
	if _, body := get(t, tw.sato, assetURL); strings.Contains(body, "廃棄記録") {
		t.Error("the refused completion left a disposal record")
	}
	record.Set("disposal_method", "physical")
	res, _ = post(t, tw.sato, reqURL+"/complete", record, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/assets/"+itoa(a.ID)+"#requests" {
		t.Fatalf("completion: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, tw.sato, assetURL)
	text := visible(body)
	for _, want := range []string{"廃棄記録を登録しました。", "廃棄済", "廃棄記録", "2026年11月20日 14:30", "佐藤 一郎（立会: 加藤 花子）",
		"物理破壊", "消去証明書 第2026-118号", "試験 mori が承認", "完了"} {
		if !strings.Contains(text, want) {
			t.Errorf("asset page after disposal lacks %q", want)
		}
	}
	orgNot(t, "disposed asset page", body, "廃棄を申請", "運搬を申請")
	// The disposed asset takes no more requests.
	if res, body := post(t, tw.sato, assetURL+"/requests", url.Values{"kind": {"transport"}, "detail": {"支所へ"}}, nil); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "この情報資産は廃棄済です") {
		t.Errorf("request on a disposed asset: %d", res.StatusCode)
	}

	actions := e.auditActions(t)
	for _, want := range []string{"asset_request.create", "asset_request.approve", "asset_request.complete", "asset.dispose"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit trail lacks %s: %v", want, actions)
		}
	}
}

// A refusal needs its reason, which the requester then reads; a request is withdrawn only by its
// requester, and only while it waits.
func TestRequestRefusalAndWithdrawal(t *testing.T) {
	e := newEnv(t)
	tw := newReqTown(t, e)
	a := e.reqAsset(t, "固定資産課税台帳", tw.tax.ID, "LGC3B")
	assetURL := e.srv.URL + "/assets/" + itoa(a.ID)

	res, _ := post(t, tw.sato, assetURL+"/requests", url.Values{"kind": {"provide"}, "detail": {"県税事務所へ提供"},
		"method": {"暗号化したファイルを LGWAN メールで送付"}}, nil)
	id := reqID(t, res)
	reqURL := e.srv.URL + "/requests/" + id
	version := reqVersion(t, tw.kato, e.srv.URL, id)
	res, body := post(t, tw.kato, reqURL+"/refuse", url.Values{"version": {version}, "note": {""}, "back": {"inbox"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMessage(body, "note-"+id) != "承認しない場合は、理由を記入してください。" {
		t.Errorf("refusal without reason: %d, %q", res.StatusCode, fieldMessage(body, "note-"+id))
	}
	if !strings.Contains(body, "承認待ちの申請") {
		t.Error("a refused decision from the inbox does not come back to the inbox")
	}
	res, _ = post(t, tw.kato, reqURL+"/refuse", url.Values{"version": {version}, "note": {"提供の根拠となる協定を確認できない"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refusal: %d", res.StatusCode)
	}
	_, body = get(t, tw.sato, reqURL)
	orgWant(t, "refused request", visible(body), "不承認", "提供の根拠となる協定を確認できない", "試験 kato")
	orgNot(t, "refused request", body, "申請を取り下げる", "実施の記録")

	// Withdrawal.
	res, _ = post(t, tw.sato, assetURL+"/requests", url.Values{"kind": {"transport"}, "detail": {"書庫から支所へ"},
		"method": {"施錠できるケースに格納"}, "planned_on": {"2026-12-03"}}, nil)
	id = reqID(t, res)
	reqURL = e.srv.URL + "/requests/" + id
	version = reqVersion(t, tw.sato, e.srv.URL, id)
	if res, _ := post(t, tw.kato, reqURL+"/withdraw", url.Values{"version": {version}}, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("管理者 withdrawing staff's request: %d, want 403", res.StatusCode)
	}
	if res, _ := post(t, tw.sato, reqURL+"/withdraw", url.Values{"version": {version}}, map[string]string{"Sec-Fetch-Site": "cross-site"}); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin withdrawal: %d, want 403", res.StatusCode)
	}
	if res, _ := post(t, tw.sato, reqURL+"/withdraw", url.Values{"version": {version}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdrawal: %d", res.StatusCode)
	}
	_, body = get(t, tw.sato, reqURL)
	orgWant(t, "withdrawn request", body, "申請を取り下げました。", "取下げ")
	if _, body := get(t, tw.kato, e.srv.URL+"/requests"); strings.Contains(body, "書庫から支所へ") {
		t.Error("a withdrawn request is still in the inbox")
	}
	if res, _ := post(t, tw.sato, reqURL+"/withdraw", url.Values{"version": {version}}, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("withdrawing twice: %d, want 409", res.StatusCode)
	}
	actions := e.auditActions(t)
	for _, want := range []string{"asset_request.refuse", "asset_request.withdraw"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit trail lacks %s", want)
		}
	}
}

// Below 自治体機密性2 the disposal needs no approval: the form is the disposal record itself,
// every field required, and the asset is 廃棄済 at once.
func TestDirectDisposalOfC1Asset(t *testing.T) {
	e := newEnv(t)
	tw := newReqTown(t, e)
	a := e.reqAsset(t, "広報チラシ原稿", tw.tax.ID, "LGC1")
	assetURL := e.srv.URL + "/assets/" + itoa(a.ID)

	_, body := get(t, tw.sato, assetURL)
	orgWant(t, "C1 asset page", body, "廃棄に承認は不要です", "廃棄を記録")
	orgNot(t, "C1 asset page", body, "運搬を申請", "廃棄を申請")
	_, body = get(t, tw.sato, assetURL+"/requests/new?kind=dispose")
	orgWant(t, "direct disposal form", body, "廃棄の記録: 広報チラシ原稿", `action="/assets/`+itoa(a.ID)+`/disposal"`,
		`<label for="disposed_at">`, `<label for="disposed_by">`, `<label for="disposal_method">`, `<label for="evidence">`)
	res, body := post(t, tw.sato, assetURL+"/disposal", url.Values{"detail": {"保存期間満了"}, "disposed_at": {"2026-11-24T10:00"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete record: %d", res.StatusCode)
	}
	for _, f := range []string{"disposed_by", "disposal_method", "evidence"} {
		if fieldMessage(body, f) == "" {
			t.Errorf("no message beside %s", f)
		}
	}
	if fieldMessage(body, "disposed_at") != "" {
		t.Errorf("a valid time is refused: %q", fieldMessage(body, "disposed_at"))
	}
	// Staff of another unit do not find the asset at all.
	if res, _ := post(t, tw.suzuki, assetURL+"/disposal", url.Values{"detail": {"x"}}, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("other unit recording: %d, want 404", res.StatusCode)
	}
	res, _ = post(t, tw.sato, assetURL+"/disposal", url.Values{"detail": {"保存期間満了"}, "disposed_at": {"2026-11-24T10:00"},
		"disposed_by": {"佐藤 一郎"}, "disposal_method": {"shred"}, "evidence": {"シュレッダー処理（課内、立会なし）"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("direct disposal: %d", res.StatusCode)
	}
	_, body = get(t, tw.sato, assetURL)
	orgWant(t, "C1 asset after disposal", visible(body), "廃棄済", "廃棄記録", "シュレッダー", "承認不要（自治体機密性2未満）", "2026年11月24日 10:00")
	if !slices.Contains(e.auditActions(t), "asset.dispose") {
		t.Error("no asset.dispose in the audit trail")
	}
}

// In a real browser, a 管理者 decides from the inbox: 「承認しない」 without a reason comes back
// with the message beside the note (the second button posts to its own address), then with the
// reason it is refused, and the other request is approved.
func TestBrowserManagerDecidesFromInbox(t *testing.T) {
	e := newEnv(t)
	tw := newReqTown(t, e)
	a := e.reqAsset(t, "課税資料USBメモリ", tw.tax.ID, "LGC3B")
	b := e.reqAsset(t, "滞納整理票", tw.tax.ID, "LGC3C")
	first := reqID(t, mustPost(t, tw.sato, e.srv.URL+"/assets/"+itoa(a.ID)+"/requests", url.Values{"kind": {"dispose"}, "detail": {"故障のため廃棄する"}}))
	second := reqID(t, mustPost(t, tw.sato, e.srv.URL+"/assets/"+itoa(b.ID)+"/requests", url.Values{"kind": {"transport"}, "detail": {"支所へ運搬する"}}))

	// 小林, a third 管理者 of 税務課, signs in with the browser.
	kobayashi := e.orgPerson(t, "小林 五郎", "0123-45-1104", tw.tax.ID)
	e.orgAssign(t, kobayashi.ID, isms.RoleCodeISM, tw.tax.ID, false)
	u, secret := e.createUser(t, "kobayashi", isms.RoleStaff, tw.tax.ID, true)
	if err := e.db.LinkPersonUser(context.Background(), system, kobayashi.ID, u.ID, kobayashi.Version); err != nil {
		t.Fatal(err)
	}
	p := browsertest.NewPage(t)
	e.browserSignIn(p, "kobayashi", testPassword, secret)

	if nav := p.Text("nav.main-nav"); !strings.Contains(nav, "承認待ち 2件") {
		t.Errorf("menu reads %q", nav)
	}
	p.Click(`nav.main-nav a[href="/requests"]`)
	p.Click(`#request-` + first + ` button[formaction="/requests/` + first + `/refuse"]`)
	if msg := p.Text(`#note-` + first + `-error`); msg != "⚠ 承認しない場合は、理由を記入してください。" && msg != "承認しない場合は、理由を記入してください。" {
		t.Errorf("refusal without a reason: %q", msg)
	}
	p.Run("give the reason", chromedp.SendKeys(chromedp.ID("note-"+first), "修理で再利用できるため"))
	p.Click(`#request-` + first + ` button[formaction="/requests/` + first + `/refuse"]`)
	if flash := p.Text(".alert-ok"); flash != "申請を承認しませんでした。" {
		t.Errorf("after refusing: %q", flash)
	}
	p.Click(`#request-` + second + ` button.primary`)
	if flash := p.Text(".alert-ok"); flash != "申請を承認しました。" {
		t.Errorf("after approving: %q", flash)
	}
	if card := p.Text(`#request-` + second); !strings.Contains(card, "承認済（実施待ち）") || !strings.Contains(card, "試験 kobayashi") {
		t.Errorf("approved request reads %q", card)
	}
	if res, _ := get(t, tw.sato, e.srv.URL+"/requests/"+first); res.StatusCode != http.StatusOK {
		t.Errorf("requester reading the refused request: %d", res.StatusCode)
	}
}

// mustPost posts a form as a browser on the same site would.
func mustPost(t *testing.T, c *http.Client, u string, form url.Values) *http.Response {
	t.Helper()
	res, _ := post(t, c, u, form, nil)
	return res
}
