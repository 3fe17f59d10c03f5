package server

import (
	"context"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
)

// unitExternalServicesSection is the unit page's section of its external services.
func (h *handler) unitExternalServicesSection(ctx context.Context, u isms.Unit) (templ.Component, error) {
	return nil, nil
}
