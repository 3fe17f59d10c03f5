package server_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// libTown is a town with 総務課 (the security office's unit) and 税務課, 住民課: the office
// (soumu), the CISO (副町長, holding the role), a committee member, a member of staff of 税務課
// and one of 住民課, the last also the 情報システム管理者 of 住民課.
type libTown struct {
	general, tax, life                          isms.Unit
	off, ciso, member, taxStaff, lifeStaff, sys *http.Client
	cisoUser, taxUser                           int64
}

func newLibTown(t *testing.T, e *testEnv) libTown {
	t.Helper()
	var o libTown
	o.general = e.orgUnit(t, "100", "総務課", isms.UnitSection, 0)
	o.tax = e.orgUnit(t, "110", "税務課", isms.UnitSection, 0)
	o.life = e.orgUnit(t, "120", "住民課", isms.UnitSection, 0)
	o.off, _ = e.loginAs(t, "soumu", isms.RoleSecurityOffice, o.general.ID)
	ciso := e.orgPerson(t, "副町長 一郎", "0123-45-1000", o.general.ID)
	e.orgAssign(t, ciso.ID, isms.RoleCodeCISO, 0, false)
	o.ciso = e.orgSignInAsPerson(t, "ciso", ciso)
	member := e.orgPerson(t, "委員 花子", "0123-45-1001", o.general.ID)
	e.orgAssign(t, member.ID, isms.RoleCodeCommittee, 0, false)
	o.member = e.orgSignInAsPerson(t, "iin", member)
	o.taxStaff = e.orgSignInAsPerson(t, "zeimu", e.orgPerson(t, "税務 次郎", "0123-45-1101", o.tax.ID))
	o.lifeStaff = e.orgSignInAsPerson(t, "juumin", e.orgPerson(t, "住民 三郎", "0123-45-1201", o.life.ID))
	sys := e.orgPerson(t, "情報 四郎", "0123-45-1202", o.life.ID)
	e.orgAssign(t, sys.ID, "SYS_ADMIN", o.life.ID, false)
	o.sys = e.orgSignInAsPerson(t, "jouhou", sys)
	for login, to := range map[string]*int64{"ciso": &o.cisoUser, "zeimu": &o.taxUser} {
		id, err := e.db.FindUserIDByLogin(context.Background(), system, login)
		if err != nil {
			t.Fatal(err)
		}
		*to = id
	}
	return o
}

// libCreate registers a document through the form and returns its id.
func libCreate(t *testing.T, e *testEnv, c *http.Client, form url.Values) int64 {
	t.Helper()
	res, body := post(t, c, e.srv.URL+"/policies", form, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("registering a document: %d %s", res.StatusCode, visible(between(body, "<main", "</main>")))
	}
	return pathTail(t, res.Header.Get("Location"))
}

// pathTail is the last number of a path such as /policies/3 or /policies/3/versions/7.
func pathTail(t *testing.T, path string) int64 {
	t.Helper()
	path = strings.TrimSuffix(path, "/edit")
	var n int64
	for _, c := range path[strings.LastIndex(path, "/")+1:] {
		if c < '0' || c > '9' {
			t.Fatalf("no id at the end of %q", path)
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// libDraft opens a draft of document doc through the form and returns its path.
func libDraft(t *testing.T, e *testEnv, c *http.Client, doc int64, label, body string) string {
	t.Helper()
	res, page := post(t, c, e.srv.URL+"/policies/"+itoa(doc)+"/versions", url.Values{"label": {label}, "body": {body},
		"change_summary": {label + "の概要"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("drafting %s: %d %s", label, res.StatusCode, visible(between(page, "<main", "</main>")))
	}
	return res.Header.Get("Location")
}

// libStep posts a workflow form of the version at path with the version the page shows.
func libStep(t *testing.T, e *testEnv, c *http.Client, path, step string, form url.Values) (*http.Response, string) {
	t.Helper()
	_, page := get(t, c, e.srv.URL+path)
	if form == nil {
		form = url.Values{}
	}
	form.Set("version", formVersion(page))
	return post(t, c, e.srv.URL+path+"/"+step, form, nil)
}

// The workflow through the pages: the office registers the 対策基準 (a refused form keeps what
// was typed), drafts and submits its first version; the office cannot approve it (403); the CISO
// approves; the office publishes. The CISO, made reviewer, drafts the revision: the CISO's own
// approval is refused with the reason (兼務の禁止); the committee approves it at its meeting;
// once published it is in force, the first version superseded, and the difference reads with
// + and - markers.
func TestLibraryVersionWorkflowPages(t *testing.T) {
	e := newEnv(t)
	o := newLibTown(t, e)

	if res, _ := get(t, o.taxStaff, e.srv.URL+"/policies/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff opening the document form: %d", res.StatusCode)
	}
	res, body := get(t, o.off, e.srv.URL+"/policies/new?kind=standards")
	orgWant(t, "the new document form", body, `value="internal" checked`, `name="must_acknowledge" value="1" checked`, `name="review_months" value="12"`)
	form := url.Values{"kind": {"standards"}, "title": {"南部町情報セキュリティ対策基準"}, "visibility": {"restricted"},
		"review_months": {"12"}, "owner_unit": {itoa(o.general.ID)}, "must_acknowledge": {"1"}}
	res, body = post(t, o.off, e.srv.URL+"/policies", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="南部町情報セキュリティ対策基準"`) ||
		!strings.Contains(body, "閲覧できる組織か役割を1つ以上指定してください") {
		t.Errorf("a restricted document without readers: %d", res.StatusCode)
	}
	form.Set("visibility", "internal")
	doc := libCreate(t, e, o.off, form)
	docPath := "/policies/" + itoa(doc)

	v1 := libDraft(t, e, o.off, doc, "令和8年4月1日施行", "# 第1章 総則\n## 第1条 目的\n本基準は情報資産を守る。\n## 第2条 対象\n全職員")
	if res, _ := libStep(t, e, o.off, v1, "submit", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submitting: %d", res.StatusCode)
	}
	if res, _ := libStep(t, e, o.off, v1, "approve", url.Values{"by": {"ciso"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("the office approving: %d", res.StatusCode)
	}
	_, body = get(t, o.ciso, e.srv.URL+v1)
	orgWant(t, "the CISO's version page", body, "承認待ち", `action="`+v1+`/approve"`, "CISOとして承認")
	if res, _ := libStep(t, e, o.ciso, v1, "approve", url.Values{"by": {"ciso"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the CISO approving: %d", res.StatusCode)
	}
	if res, _ := libStep(t, e, o.off, v1, "publish", url.Values{"effective_on": {"2026-04-01"}}); res.StatusCode != http.StatusSeeOther ||
		res.Header.Get("Location") != docPath {
		t.Fatalf("publishing: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body = get(t, o.off, e.srv.URL+docPath); !strings.Contains(body, "版を公開しました。") {
		t.Error("no flash after publishing")
	}
	_, body = get(t, o.taxStaff, e.srv.URL+docPath)
	orgWant(t, "the document for staff", visible(body), "施行中の版 令和8年4月1日施行 （2026年4月1日 施行）",
		"次回見直し期限 2027年4月1日")
	orgWant(t, "the body as headings", between(body, `data-testid="policy-body"`, "</div>"), "<h2>第1章 総則</h2>", "<h3>第1条 目的</h3>",
		`<p class="pre">本基準は情報資産を守る。</p>`)
	orgNot(t, "staff's document page", body, "改定案を作成", "見直しを予定する")

	// The CISO reviews it and writes the revision, which the CISO may not approve.
	res, _ = post(t, o.off, e.srv.URL+docPath+"/reviews", url.Values{"reviewer": {itoa(o.cisoUser)}, "due_on": {"2027-03-31"},
		"reason": {"scheduled"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("scheduling the review: %d", res.StatusCode)
	}
	v2 := libDraft(t, e, o.ciso, doc, "令和8年12月1日改定", "# 第1章 総則\n## 第1条 目的\n本基準は町の情報資産を守る。\n## 第3条 クラウド\n認証を受けたサービスに限る。")
	if res, _ := libStep(t, e, o.ciso, v2, "submit", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the CISO submitting: %d", res.StatusCode)
	}
	_, body = get(t, o.ciso, e.srv.URL+v2)
	orgNot(t, "the author's version page", body, `action="`+v2+`/approve"`)
	res, body = libStep(t, e, o.ciso, v2, "approve", url.Values{"by": {"ciso"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(between(body, `data-testid="own-version"`, "</div>"), "兼務の禁止") {
		t.Errorf("the author approving: %d", res.StatusCode)
	}
	res, body = libStep(t, e, o.member, v2, "approve", url.Values{"by": {"committee"}})
	if res.StatusCode != http.StatusUnprocessableEntity || personFieldError(body, "meeting_on") != "委員会として承認するときは、委員会の開催日を入力してください。" {
		t.Errorf("the committee without its meeting: %d", res.StatusCode)
	}
	if res, _ := libStep(t, e, o.member, v2, "approve", url.Values{"by": {"committee"}, "meeting_on": {"2026-11-20"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the committee approving: %d", res.StatusCode)
	}
	_, body = get(t, o.off, e.srv.URL+v2)
	orgWant(t, "the approved version", visible(body), "情報セキュリティ委員会（2026年11月20日 開催）の承認（記録: 試験 iin）")
	if res, _ := libStep(t, e, o.off, v2, "publish", url.Values{"effective_on": {"2026-12-01"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publishing the revision: %d", res.StatusCode)
	}
	_, body = get(t, o.taxStaff, e.srv.URL+docPath)
	versions := visible(between(body, `data-testid="library-versions"`, "</table>"))
	orgWant(t, "the versions", versions, "令和8年12月1日改定 施行中", "令和8年4月1日施行 廃止（改定済み）")
	if strings.Count(versions, "施行中") != 1 {
		t.Errorf("more than one version in force: %s", versions)
	}

	_, body = get(t, o.taxStaff, e.srv.URL+docPath+"/diff")
	orgWant(t, "the difference", visible(between(body, `data-testid="diff-summary"`, "</p>")), "令和8年4月1日施行 → 令和8年12月1日改定: 追加 3 行、削除 3 行")
	diff := between(body, `data-testid="policy-diff"`, "</ol>")
	orgWant(t, "the difference's lines", diff,
		`<li class="diff-same"><span class="diff-mark" aria-hidden="true">  </span># 第1章 総則</li>`,
		`<del><span class="diff-mark" aria-hidden="true">- </span><span class="visually-hidden">削除:`, "</span>本基準は情報資産を守る。</del>",
		`<ins><span class="diff-mark" aria-hidden="true">+ </span><span class="visually-hidden">追加:`, "</span>本基準は町の情報資産を守る。</ins>")
	if res, _ := get(t, o.taxStaff, e.srv.URL+docPath+"/diff?from=999&to=1"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a difference with no such version: %d", res.StatusCode)
	}
}

// A restricted document (関係者限り) is 404 for the staff of another unit and absent from their
// list; the named unit's staff and the named role's holder read it.
func TestLibraryRestrictedPages(t *testing.T) {
	e := newEnv(t)
	o := newLibTown(t, e)
	doc := libCreate(t, e, o.off, url.Values{"kind": {"procedures"}, "title": {"税務システム運用手順"}, "visibility": {"restricted"},
		"review_months": {"12"}, "reader_unit": {itoa(o.tax.ID)}, "reader_role": {"SYS_ADMIN"}})
	basic := libCreate(t, e, o.off, url.Values{"kind": {"basic_policy"}, "title": {"基本方針"}, "visibility": {"public"}, "review_months": {"12"}})
	v := libDraft(t, e, o.off, doc, "初版", "# 手順")

	for who, c := range map[string]*http.Client{"the named unit's staff": o.taxStaff, "the named role's holder": o.sys, "the CISO": o.ciso} {
		res, body := get(t, c, e.srv.URL+"/policies/"+itoa(doc))
		if res.StatusCode != http.StatusOK || !strings.Contains(visible(body), "公開区分 関係者限り 閲覧できる関係者 税務課 / 情報システム管理者") {
			t.Errorf("%s: %d", who, res.StatusCode)
		}
		_, list := get(t, c, e.srv.URL+"/policies")
		orgWant(t, who+"'s list", list, "税務システム運用手順", "基本方針")
	}
	for _, path := range []string{"/policies/" + itoa(doc), "/policies/" + itoa(doc) + "/diff", v, v + "/attachment", "/policies/" + itoa(doc) + "/versions/new"} {
		if res, _ := get(t, o.lifeStaff, e.srv.URL+path); res.StatusCode != http.StatusNotFound {
			t.Errorf("another unit's staff opening %s: %d", path, res.StatusCode)
		}
	}
	_, list := get(t, o.lifeStaff, e.srv.URL+"/policies")
	orgWant(t, "another unit's list", list, `href="/policies/`+itoa(basic)+`"`)
	orgNot(t, "another unit's list", list, "税務システム運用手順")
	// The draft is work in progress: the readers of the document do not see it.
	if res, _ := get(t, o.taxStaff, e.srv.URL+v); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff opening a draft: %d", res.StatusCode)
	}
}

// postFile sends a multipart form with a file, as a browser on the same site does.
func postFile(t *testing.T, c *http.Client, u string, fields url.Values, name string, content []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, u, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// A draft's PDF: a file over 10 MB is 413 and one that is not a PDF 422, each with the reason
// beside the field; a PDF is kept and downloads as an attachment that browsers must not sniff.
func TestLibraryAttachmentUpload(t *testing.T) {
	e := newEnv(t)
	o := newLibTown(t, e)
	doc := libCreate(t, e, o.off, url.Values{"kind": {"other"}, "title": {"様式集"}, "visibility": {"internal"}, "review_months": {"12"}})
	v := libDraft(t, e, o.off, doc, "初版", "様式")
	_, page := get(t, o.off, e.srv.URL+v)
	fields := url.Values{"version": {formVersion(page)}}

	big := append([]byte("%PDF-1.7\n"), make([]byte, isms.MaxPolicyAttachment)...)
	res, body := postFile(t, o.off, e.srv.URL+v+"/attachment", fields, "big.pdf", big)
	if res.StatusCode != http.StatusRequestEntityTooLarge || personFieldError(body, "file") != "ファイルが大きすぎます。10 MB以下のPDFを選んでください。" {
		t.Errorf("too large: %d %q", res.StatusCode, personFieldError(body, "file"))
	}
	res, body = postFile(t, o.off, e.srv.URL+v+"/attachment", fields, "policy.pdf", []byte("<html>not a pdf</html>"))
	if res.StatusCode != http.StatusUnprocessableEntity || personFieldError(body, "file") != "PDFファイルではありません。PDFを選んでください。" {
		t.Errorf("not a PDF: %d %q", res.StatusCode, personFieldError(body, "file"))
	}
	if res, _ := postFile(t, o.taxStaff, e.srv.URL+v+"/attachment", fields, "x.pdf", []byte("%PDF-1.4")); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff attaching to a draft they cannot see: %d", res.StatusCode)
	}
	content := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
	if res, _ := postFile(t, o.off, e.srv.URL+v+"/attachment", fields, "様式集.pdf", content); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("attaching: %d", res.StatusCode)
	}
	res, body = get(t, o.off, e.srv.URL+v+"/attachment")
	if res.StatusCode != http.StatusOK || body != string(content) || res.Header.Get("Content-Type") != "application/pdf" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "filename*=utf-8''%E6%A7%98%E5%BC%8F%E9%9B%86.pdf") {
		t.Errorf("download: %d %v", res.StatusCode, res.Header)
	}
}

// Reviews through the pages: an incident calls for a review of the 対策基準, linked to it; the
// yearly review past its due day stands out on the list and the document (words and class), and
// the "要見直し" filter finds the document; the reviewer records "no change" and the next review
// moves on a year from today.
func TestLibraryReviewPages(t *testing.T) {
	e := newEnv(t)
	o := newLibTown(t, e)
	doc := libCreate(t, e, o.off, url.Values{"kind": {"standards"}, "title": {"対策基準"}, "visibility": {"internal"}, "review_months": {"12"}})
	other := libCreate(t, e, o.off, url.Values{"kind": {"other"}, "title": {"様式集"}, "visibility": {"internal"}, "review_months": {"12"},
		"next_review_on": {"2027-06-30"}})
	docPath := "/policies/" + itoa(doc)
	reporter := isms.Actor{UserID: o.taxUser, Label: "zeimu", Role: isms.RoleStaff}
	inc, err := e.db.CreateIncident(context.Background(), reporter, isms.IncidentInput{Title: "USBメモリの紛失", Description: "紛失した",
		AwareAt: personDate(t, "2026-11-20"), PersonalInfo: isms.PersonalInfoYes, Channel: isms.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}

	if res, _ := get(t, o.taxStaff, e.srv.URL+docPath+"/reviews/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff scheduling: %d", res.StatusCode)
	}
	_, body := get(t, o.off, e.srv.URL+docPath+"/reviews/new?trigger=incident&id="+itoa(inc.ID))
	orgWant(t, "the review form from an incident", body, `value="event" checked`, `name="trigger_id" value="`+itoa(inc.ID)+`"`)
	res, body := post(t, o.off, e.srv.URL+docPath+"/reviews", url.Values{"reviewer": {itoa(o.taxUser)}, "due_on": {"2026-12-20"},
		"reason": {"event"}, "trigger_kind": {"incident"}, "trigger_id": {"abc"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || personFieldError(body, "trigger_id") == "" {
		t.Errorf("an incident number that is not one: %d", res.StatusCode)
	}
	res, _ = post(t, o.off, e.srv.URL+docPath+"/reviews", url.Values{"reviewer": {itoa(o.taxUser)}, "due_on": {"2026-12-20"},
		"reason": {"event"}, "trigger_kind": {"incident"}, "trigger_id": {itoa(inc.ID)}, "note": {"外部記録媒体"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("scheduling the incident's review: %d", res.StatusCode)
	}
	res, _ = post(t, o.off, e.srv.URL+docPath+"/reviews", url.Values{"reviewer": {itoa(o.taxUser)}, "due_on": {"2026-10-31"},
		"reason": {"scheduled"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("scheduling the yearly review: %d", res.StatusCode)
	}

	_, body = get(t, o.taxStaff, e.srv.URL+"/policies")
	row := between(body, `href="/policies/`+itoa(doc)+`"`, "</tr>")
	orgWant(t, "the overdue document on the list", row, `<span class="badge overdue">見直し期限超過</span>`)
	orgWant(t, "the list", body, `<tr class="overdue-row">`)
	_, body = get(t, o.taxStaff, e.srv.URL+"/policies?due=1")
	orgWant(t, "the 要見直し filter", body, "対策基準")
	orgNot(t, "the 要見直し filter", body, `href="/policies/`+itoa(other)+`"`)

	_, body = get(t, o.taxStaff, e.srv.URL+docPath)
	orgWant(t, "the document", body, `data-testid="library-needs-review"`, "期限を過ぎても完了していない見直しがあります。")
	reviews := between(body, `data-testid="library-reviews"`, "</table>")
	orgWant(t, "the reviews", reviews, `href="/incidents/`+itoa(inc.ID)+`"`, "インシデント (ID "+itoa(inc.ID)+")", "期限超過", "定期見直し")
	yearly := between(reviews, `<tr class="overdue-row"><th scope="row"><a href="`, `"`)

	_, body = get(t, o.taxStaff, e.srv.URL+yearly)
	orgWant(t, "the reviewer's review page", body, `action="`+yearly+`/outcome"`, "変更なし", "改定する")
	if _, page := get(t, o.lifeStaff, e.srv.URL+yearly); strings.Contains(page, `action="`+yearly+`/outcome"`) {
		t.Error("someone else is offered the outcome form")
	}
	res, _ = post(t, o.taxStaff, e.srv.URL+yearly+"/outcome", url.Values{"outcome": {"no_change"}, "outcome_note": {"変更不要"},
		"version": {"1"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != yearly {
		t.Fatalf("no change: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, o.taxStaff, e.srv.URL+yearly)
	orgWant(t, "the completed review", visible(between(body, `data-testid="review-status"`, "</dd>")), "完了: 変更なし（2026年11月25日）")
	_, body = get(t, o.taxStaff, e.srv.URL+docPath)
	orgWant(t, "the next review", visible(between(body, `data-testid="library-next-review"`, "</dd>")), "2027年11月25日")
	if res, _ := post(t, o.taxStaff, e.srv.URL+yearly+"/outcome", url.Values{"outcome": {"no_change"}, "version": {"1"}}, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("deciding again: %d", res.StatusCode)
	}
}
