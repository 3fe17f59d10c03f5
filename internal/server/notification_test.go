package server_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"
)

// A severity 3 incident with a PPC trigger is put before the CISO: their notifications list it
// with its 速報 due date (noticed on 20 November, due on the 25th: today, so marked as near), the
// home page and the header count it as unread, and the CISO's own buttons mark it read. A staff
// member who was not notified sees none.
func TestNotificationsOfEscalatedIncident(t *testing.T) {
	e := newEnv(t)
	w := newRepTown(t, e)
	inc := e.repTriage(t, w, e.repReport(t, w, "住民票の写しの誤送信", time.Date(2026, 11, 20, 10, 0, 0, 0, repJST)),
		3, "MISDELIVERY", 150, nil)

	res, body := get(t, w.ciso, e.srv.URL+"/notifications")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("notifications: %d", res.StatusCode)
	}
	row := visible(between(body, `data-incident="`+inc.Number+`"`, "</tr>"))
	orgWant(t, "notification", row, inc.Number, "住民票の写しの誤送信", "3 緊急・最重大", "調査中", "2026年11月25日", "期限間近", "未読")
	orgWant(t, "notification link", body, `href="/incidents/`+itoa(inc.ID)+`"`)
	orgWant(t, "reasons", visible(body), "重要度2以上")

	unread := visible(between(body, `data-testid="unread-count">`, "</span>"))
	if unread == "" {
		t.Fatal("the header shows no unread count")
	}
	_, home := get(t, w.ciso, e.srv.URL+"/")
	orgWant(t, "home", visible(between(home, `id="home-notifications-h"`, "</section>")),
		inc.Number, "住民票の写しの誤送信", "速報の期限： 2026年11月25日 期限間近", "お知らせの一覧")
	homeUnread := visible(between(home, `data-testid="home-unread">`, "</p>"))
	if homeUnread != unread {
		t.Errorf("home counts %q unread, header %q", homeUnread, unread)
	}

	// Mark one read, then the rest.
	ids := regexp.MustCompile(`action="/notifications/(\d+)/read"`).FindAllStringSubmatch(body, -1)
	if len(ids) == 0 {
		t.Fatal("no button to mark a notification read")
	}
	res, _ = post(t, w.ciso, e.srv.URL+"/notifications/"+ids[0][1]+"/read", nil, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/notifications" {
		t.Fatalf("mark read: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, w.ciso, e.srv.URL+"/notifications")
	orgWant(t, "after marking one", body, "お知らせを既読にしました。")
	if got := len(regexp.MustCompile(`action="/notifications/\d+/read"`).FindAllString(body, -1)); got != len(ids)-1 {
		t.Errorf("%d unread after marking one of %d", got, len(ids))
	}
	if res, _ := post(t, w.ciso, e.srv.URL+"/notifications/read", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark all read: %d", res.StatusCode)
	}
	_, body = get(t, w.ciso, e.srv.URL+"/notifications")
	orgWant(t, "after marking all", body, "未読のお知らせ：0件", "既読")
	orgNot(t, "after marking all", body, `data-testid="unread-count"`, `action="/notifications/`)
	_, home = get(t, w.ciso, e.srv.URL+"/")
	orgWant(t, "home after reading", home, `data-testid="home-unread">未読0件`)

	// Another person's notification cannot be marked.
	if res, _ := post(t, w.office, e.srv.URL+"/notifications/"+ids[0][1]+"/read", nil, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("marking another's notification: %d, want 404", res.StatusCode)
	}

	_, body = get(t, w.reporter, e.srv.URL+"/notifications")
	orgWant(t, "staff notifications", body, "お知らせはありません。")
	_, home = get(t, w.reporter, e.srv.URL+"/")
	orgNot(t, "staff home", home, `id="home-notifications-h"`, `data-testid="unread-count"`)
}
