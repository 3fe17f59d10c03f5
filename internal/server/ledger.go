package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// 棚卸: the yearly confirmation of each 課's information asset register by its 情報セキュリティ
// 管理者. The overview is read by those who read every unit (the security office, the CISO,
// auditors) and by 管理者 and 責任者 for their own units; the store refuses everyone else (403).

// ledgerYears is how many past fiscal years the overview offers besides the current one.
const ledgerYears = 5

func (h *handler) ledgerShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	today := isms.Day(h.now())
	current := isms.FiscalYearOf(today)
	fy := current
	if s := r.URL.Query().Get("fy"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 2000 || n > current {
			h.fail(w, r, isms.Errorf(isms.EINVALID, "no such fiscal year"))
			return
		}
		fy = n
	}
	statuses, err := h.db.FindLedgerStatuses(ctx, isms.ActorFrom(ctx), fy)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	o := web.LedgerOverview{FiscalYear: fy, Statuses: statuses, Today: today}
	for y := current; y >= current-ledgerYears || y >= fy; y-- {
		o.Years = append(o.Years, y)
	}
	h.render(w, r, http.StatusOK, web.LedgerPage(o))
}

// unitLedger is this fiscal year's confirmation of a 課 as its page shows it: the ledger's
// counts are read only for the 管理者 who may confirm it.
func (h *handler) unitLedger(ctx context.Context, u isms.Unit) (web.UnitLedger, error) {
	actor := isms.ActorFrom(ctx)
	now := h.now()
	l := web.UnitLedger{Unit: u, FiscalYear: isms.FiscalYearOf(now)}
	var err error
	if l.Confirmation, err = h.db.FindLedgerConfirmation(ctx, actor, u.ID, l.FiscalYear); err != nil {
		return l, err
	}
	l.CanConfirm = actor.Manages(u.ID) && u.To == nil
	if l.CanConfirm && l.Confirmation == nil {
		if l.Assets, l.Overdue, err = h.db.FindLedgerCounts(ctx, actor, u.ID, now); err != nil {
			return l, err
		}
	}
	return l, nil
}

// unitLedgerSection is the 棚卸 section of a unit's page: for the in-scope 課 that keep a ledger
// of their own, nil for other units.
func (h *handler) unitLedgerSection(ctx context.Context, u isms.Unit) (templ.Component, error) {
	if !u.InScope || !u.Type.NeedsManager() {
		return nil, nil
	}
	l, err := h.unitLedger(ctx, u)
	if err != nil {
		return nil, err
	}
	return web.UnitLedgerSection(l), nil
}

// ledgerUnit is the unit of the path's {id} within the reader's scope, as a 課 with a ledger;
// when there is none it has answered already.
func (h *handler) ledgerUnit(w http.ResponseWriter, r *http.Request) (isms.Unit, bool) {
	u, ok := pathRecord(h, w, r, h.db.FindUnit)
	if ok && (!u.InScope || !u.Type.NeedsManager()) {
		h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "unit %d keeps no ledger of its own", u.ID))
		return u, false
	}
	return u, ok
}

func (h *handler) renderLedgerConfirm(w http.ResponseWriter, r *http.Request, status int, u isms.Unit, f web.LedgerConfirmForm) {
	l, err := h.unitLedger(r.Context(), u)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Ledger = l
	h.render(w, r, status, web.LedgerConfirmPage(f))
}

func (h *handler) ledgerConfirmShow(w http.ResponseWriter, r *http.Request) {
	u, ok := h.ledgerUnit(w, r)
	if !ok {
		return
	}
	h.renderLedgerConfirm(w, r, http.StatusOK, u, web.LedgerConfirmForm{})
}

// ledgerConfirm records the 管理者's confirmation of the unit's ledger for this fiscal year. A
// second one is refused with who confirmed it already (409).
func (h *handler) ledgerConfirm(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	u, ok := h.ledgerUnit(w, r)
	if !ok {
		return
	}
	note := r.PostFormValue("note")
	_, err := h.db.ConfirmLedger(ctx, isms.ActorFrom(ctx), u.ID, h.now(), note)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		h.renderLedgerConfirm(w, r, status, u, web.LedgerConfirmForm{Note: note, Errors: errs, Conflict: conflict})
	}) {
		return
	}
	h.done(w, r, "ledger.confirmed_flash", "/units/"+strconv.FormatInt(u.ID, 10)+"#ledger")
}
