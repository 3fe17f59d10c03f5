package server

import (
	"context"
	"net/http"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// The planning pages: "my tasks" for every signed-in person, the same tasks of a unit on its page
// and in short on the home page, and the fiscal year's calendar (April → March). Each part of the
// portal answers for its own tasks and calendar entries; these pages gather them. A part that
// fails fails the page, as any other store error does.

const (
	unitTaskSize = 10 // tasks on a unit's page
	homeTaskSize = 5  // tasks on the home page
)

// taskProvider answers the tasks of the actor (unitID 0) or of the unit unitID.
type taskProvider func(ctx context.Context, actor isms.Actor, unitID int64) ([]isms.Task, error)

// calendarProvider answers the calendar entries of fiscal year fy the actor may know of.
type calendarProvider func(ctx context.Context, actor isms.Actor, fy int) ([]isms.CalendarEntry, error)

func (h *handler) taskProviders() []taskProvider {
	return []taskProvider{h.db.FindPolicyTasks, h.db.FindInspectionTasks, h.db.FindAuditTasks,
		h.db.FindCommitteeTasks, h.db.FindApprovalTasks, h.db.FindContractTasks, h.db.FindExternalServiceTasks,
		h.db.FindSocialAccountTasks}
}

func (h *handler) calendarProviders() []calendarProvider {
	return []calendarProvider{h.db.FindPolicyCalendar, h.db.FindInspectionCalendar, h.db.FindAuditCalendar,
		h.db.FindTrainingCalendar, h.db.FindCommitteeCalendar}
}

// tasks gathers the tasks of the reader (unitID 0) or of a unit, overdue first.
func (h *handler) tasks(ctx context.Context, unitID int64) ([]isms.Task, error) {
	actor := isms.ActorFrom(ctx)
	var all []isms.Task
	for _, find := range h.taskProviders() {
		list, err := find(ctx, actor, unitID)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
	}
	isms.SortTasks(all, h.now())
	return all, nil
}

func (h *handler) tasksShow(w http.ResponseWriter, r *http.Request) {
	tasks, err := h.tasks(r.Context(), 0)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.TasksPage(web.TasksView{Tasks: tasks, Today: isms.Day(h.now())}))
}

// unitTasksSection is the tasks part of a unit's page: the first few of the unit's tasks.
func (h *handler) unitTasksSection(ctx context.Context, u isms.Unit) (templ.Component, error) {
	tasks, err := h.tasks(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return web.UnitTasksSection(tasks[:min(len(tasks), unitTaskSize)], len(tasks), isms.Day(h.now())), nil
}

// homeTasksPanel is the home page's panel of the reader's tasks.
func (h *handler) homeTasksPanel(ctx context.Context) (templ.Component, error) {
	tasks, err := h.tasks(ctx, 0)
	if err != nil {
		return nil, err
	}
	return web.HomeTasks(tasks[:min(len(tasks), homeTaskSize)], len(tasks), isms.Day(h.now())), nil
}

func (h *handler) calendarShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	fy := h.queryFiscalYear(r)
	var entries []isms.CalendarEntry
	for _, find := range h.calendarProviders() {
		list, err := find(ctx, actor, fy)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		entries = append(entries, list...)
	}
	h.render(w, r, http.StatusOK, web.CalendarPage(web.CalendarView{FiscalYear: fy, Months: isms.FiscalCalendar(fy, entries)}))
}
