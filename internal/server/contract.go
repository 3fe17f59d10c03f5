package server

import (
	"context"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
)

// unitContractsSection is the unit page's section of its contracts.
func (h *handler) unitContractsSection(ctx context.Context, u isms.Unit) (templ.Component, error) {
	return nil, nil
}
