package web

import "context"

// currentAttr is the aria-current value of a menu link: "page" for the page being shown.
func currentAttr(ctx context.Context, path string) string {
	if CurrentURL(ctx) == path {
		return "page"
	}
	return "false"
}

// pressed is the aria-pressed value of a toggle button.
func pressed(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
