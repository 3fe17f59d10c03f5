package i18n

// en must carry the same keys and format verbs as ja; the tests enforce it.
var en = map[string]string{
	"app.name":    "ISMS Portal",
	"app.tagline": "A portal supporting information security management under the local government's information security policy",

	"nav.skip": "Skip to main content",
	"nav.main": "Main menu",
	"nav.home": "Home",

	// Language names are written in their own language in every catalogue.
	"lang.switch": "Language",
	"lang.ja":     "日本語",
	"lang.en":     "English",

	"footer.note": "Run under the basic information security policy",

	"home.title":       "Welcome",
	"home.lead":        "This portal brings together the information asset register with its confidentiality, integrity and availability classification, the organisation and its information security roles, training, security incidents, policy reviews, self-inspections and information security audits.",
	"home.fiscal_year": "Current fiscal year",
	"home.today":       "Today",

	"error.not_found.title":   "Page not found",
	"error.not_found.body":    "The page does not exist or you may not view it.",
	"error.server.title":      "Server error",
	"error.server.body":       "An error occurred while processing your request. Please wait a moment and try again. If the problem continues, contact your information systems staff. Reference: %s",
	"error.forbidden.title":   "Forbidden",
	"error.forbidden.body":    "You are not allowed to do this.",
	"error.bad_request.title": "Bad request",
	"error.bad_request.body":  "The request could not be processed.",
	"error.method.title":      "Method not allowed",
	"error.method.body":       "This page does not accept that method.",
	"error.conflict.title":    "Edit conflict",
	"error.conflict.body":     "Someone else changed this data first. Check the latest version and try again.",
	"error.too_large.title":   "Request too large",
	"error.too_large.body":    "The data sent exceeds the limit.",
	"error.unavailable.title": "Temporarily unavailable",
	"error.unavailable.body":  "The database cannot be reached. Please try again shortly.",
	"error.back_home":         "Back to the home page",
}
