package isms

import "context"

// Actor is whoever causes a change: a signed-in person, or the portal itself (migrations, the
// command line, start-up seeding). Stores take the actor explicitly and record it in the audit
// trail with every change.
type Actor struct {
	UserID int64  // 0 for the portal itself
	Label  string // what the audit trail shows: the login id, or "system:<what>"
}

// SystemActor returns the actor for changes the portal makes on its own, named after what made them.
func SystemActor(what string) Actor { return Actor{Label: "system:" + what} }

type ctxKey int

const (
	actorKey ctxKey = iota
	requestKey
)

// WithActor returns a copy of ctx carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// ActorFrom returns the actor in ctx, or the zero Actor (nobody signed in).
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey).(Actor)
	return a
}

// RequestInfo identifies the HTTP request behind a change, for the audit trail and error reports.
type RequestInfo struct {
	ID         string
	ClientAddr string
}

// WithRequest returns a copy of ctx carrying the request information.
func WithRequest(ctx context.Context, ri RequestInfo) context.Context {
	return context.WithValue(ctx, requestKey, ri)
}

// RequestFrom returns the request information in ctx, or the zero value outside a request.
func RequestFrom(ctx context.Context) RequestInfo {
	ri, _ := ctx.Value(requestKey).(RequestInfo)
	return ri
}
