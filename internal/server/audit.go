package server

import "net/http"

func (h *handler) auditList(w http.ResponseWriter, r *http.Request) {}
