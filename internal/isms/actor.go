package isms

import (
	"context"
	"slices"
	"time"
)

// Actor is whoever causes a change or asks to see something: a signed-in person, or the portal
// itself (migrations, the command line, start-up seeding). Stores take the actor explicitly,
// enforce its scope in SQL, and record it in the audit trail with every change.
type Actor struct {
	UserID int64  // 0 for the portal itself and for nobody signed in
	Label  string // what the audit trail shows: the login id, or "system:<what>"
	Name   string // display name
	Role   Role
	UnitID int64 // the unit the person belongs to and registers records for; 0 if none

	// Scope: the units whose records the actor sees. AllUnits covers every unit.
	AllUnits bool
	UnitIDs  []int64
	// ManagedUnitIDs are the units whose 情報セキュリティ管理者 or 責任者 the actor is: they approve
	// requests and confirm the ledger there.
	ManagedUnitIDs []int64
	// HeldRoles are the security roles the person holds on the day, for any unit or the whole
	// town: some duties go with the role rather than with a unit (the CSIRT judges incidents).
	HeldRoles []SecurityRoleCode

	MustChangePassword bool
	MFAEnrolled        bool

	// The person's own language ("ja", "en") and date style ("seireki", "wareki") for pages.
	Lang, DateStyle string

	// System marks the portal itself acting (start-up, the command line): it may do anything.
	System bool

	// Today is the day (Japan, UTC midnight) of the request the actor acts in, as FindActor was
	// asked for it; zero outside a request. Stores read it through Day.
	Today time.Time
}

// Day is the day the actor acts on: the request's day, or the clock's day when none was set.
func (a Actor) Day() time.Time {
	if a.Today.IsZero() {
		return Day(time.Now())
	}
	return Day(a.Today)
}

// SystemActor returns the actor for changes the portal makes on its own, named after what made them.
func SystemActor(what string) Actor {
	return Actor{Label: "system:" + what, AllUnits: true, System: true}
}

// SignedIn reports whether the actor is a person who has signed in.
func (a Actor) SignedIn() bool { return a.UserID != 0 }

// Can reports whether the actor's role grants p.
func (a Actor) Can(p Permission) bool {
	return a.System || a.SignedIn() && slices.Contains(permissions[p], a.Role)
}

// Sees reports whether unit is within the actor's scope.
func (a Actor) Sees(unit int64) bool {
	return a.AllUnits || slices.Contains(a.UnitIDs, unit)
}

// Edits reports whether the actor may register and change records of unit: the security office
// everywhere, staff (and the 管理者 among them) in the units they see. The CISO and auditors read
// and judge; they do not edit.
func (a Actor) Edits(unit int64) bool {
	if a.Can(PermEditAllRegisters) {
		return true
	}
	return (a.Role == RoleStaff || a.System) && a.Sees(unit)
}

// Holds reports whether the actor holds the security role code on the day.
func (a Actor) Holds(code SecurityRoleCode) bool { return slices.Contains(a.HeldRoles, code) }

// Manages reports whether the actor is the 管理者 or 責任者 of unit.
func (a Actor) Manages(unit int64) bool { return slices.Contains(a.ManagedUnitIDs, unit) }

// CheckSeparation enforces segregation of duties (兼務の禁止): the person who asks for something
// never approves it.
func CheckSeparation(requesterID int64, approver Actor) error {
	if requesterID == approver.UserID {
		return Errorf(EFORBIDDEN, "the requester cannot approve their own request")
	}
	return nil
}

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
