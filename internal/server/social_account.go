package server

import (
	"context"

	"github.com/a-h/templ"

	"github.com/jichitai-isms/isms/internal/isms"
)

// unitSocialAccountsSection is the unit page's section of its social accounts.
func (h *handler) unitSocialAccountsSection(ctx context.Context, u isms.Unit) (templ.Component, error) {
	return nil, nil
}
