package server

import (
	"context"
	"net/http"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/web"
)

// outsourcingShow is the overview of the outsourcing contracts, external services and social
// media accounts (basic policy §6(8)): what needs action in each register, within the reader's
// scope — for the security office, the whole town's.
func (h *handler) outsourcingShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	v := web.OutsourcingView{Attention: map[isms.OutsourceKind][]isms.Task{}, Today: isms.Day(h.now())}
	for kind, find := range map[isms.OutsourceKind]func(context.Context, isms.Actor) ([]isms.Task, error){
		isms.OutsourceContract:        h.db.FindContractAttention,
		isms.OutsourceExternalService: h.db.FindExternalServiceAttention,
		isms.OutsourceSocialAccount:   h.db.FindSocialAccountAttention,
	} {
		list, err := find(ctx, actor)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		isms.SortTasks(list, h.now())
		v.Attention[kind] = list
	}
	h.render(w, r, http.StatusOK, web.OutsourcingPage(v))
}

// outsourcedAssetsSize is how many of a record's assets its page lists.
const outsourcedAssetsSize = 20

// outsourcedAssetsSection is a register record's section of the assets that name it, within the
// reader's scope.
func (h *handler) outsourcedAssetsSection(ctx context.Context, o isms.OutsourcedTo) (templ.Component, error) {
	assets, _, _, next, err := h.db.FindAssets(ctx, isms.ActorFrom(ctx),
		isms.AssetFilter{OutsourcedTo: o, Sort: isms.SortNumber, Limit: outsourcedAssetsSize, Uncounted: true})
	if err != nil {
		return nil, err
	}
	levels, err := h.db.FindLevels(ctx)
	if err != nil {
		return nil, err
	}
	return web.OutsourcedAssets(web.OutsourcedAssetsView{Record: o, Assets: assets, More: next != nil, Levels: levels}), nil
}
