package server

import (
	"net/http"

	"github.com/jichitai-isms/isms/web"
)

func (h *handler) homeShow(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, web.HomePage(h.now().In(japan)))
}
