package server

import (
	"context"
	"net/http"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// Each person's notifications: the incidents escalated to them, listed newest first, counted in
// the header, summarised on the home page, and marked read by the person's own buttons only
// (following an incident's link does not mark it, so nothing is read by accident). The store
// keeps everyone to their own notifications.

// notificationLimit is how many notifications the list shows; older ones stay in the database.
const notificationLimit = 200

// homeNotificationCount is how many of the latest notifications the home page shows.
const homeNotificationCount = 3

// countNotifications puts the number of the reader's unread notifications into the context, for
// the header. A failed count only leaves the number out.
func (h *handler) countNotifications(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if n, err := h.db.CountUnreadNotifications(ctx, isms.ActorFrom(ctx)); err == nil {
			r = r.WithContext(web.WithUnreadNotifications(ctx, n))
		}
		next.ServeHTTP(w, r)
	})
}

// soonDays is the rules' nearness for marking a due date as soon, read only when something is
// there to mark.
func (h *handler) soonDays(ctx context.Context, list []isms.Notification) (int, error) {
	if len(list) == 0 {
		return 0, nil
	}
	rules, err := h.db.FindIncidentRules(ctx)
	return rules.SoonDays, err
}

func (h *handler) notificationList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	v := web.NotificationsView{Today: h.now().In(japan)}
	var err error
	if v.Notifications, err = h.db.FindNotifications(ctx, actor, notificationLimit); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Unread, err = h.db.CountUnreadNotifications(ctx, actor); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.SoonDays, err = h.soonDays(ctx, v.Notifications); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.NotificationsPage(v))
}

// notificationRead marks one of the reader's notifications read; another's is 404.
func (h *handler) notificationRead(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	h.markRead(w, r, id, "notification.marked")
}

func (h *handler) notificationReadAll(w http.ResponseWriter, r *http.Request) {
	h.markRead(w, r, 0, "notification.marked_all")
}

func (h *handler) markRead(w http.ResponseWriter, r *http.Request, id int64, flash string) {
	ctx := r.Context()
	if err := h.db.ReadNotification(ctx, isms.ActorFrom(ctx), id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w, r, flash, "/notifications")
}

// homeNotifications is the home page's panel: shown to those who have ever been notified.
func (h *handler) homeNotifications(ctx context.Context) (web.NotificationPanel, error) {
	actor := isms.ActorFrom(ctx)
	p := web.NotificationPanel{Today: h.now().In(japan)}
	var err error
	if p.Latest, err = h.db.FindNotifications(ctx, actor, homeNotificationCount); err != nil || len(p.Latest) == 0 {
		return p, err
	}
	p.Show = true
	if p.Unread, err = h.db.CountUnreadNotifications(ctx, actor); err != nil {
		return p, err
	}
	p.SoonDays, err = h.soonDays(ctx, p.Latest)
	return p, err
}
