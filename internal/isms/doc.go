// Package isms is the portal's domain vocabulary: the records of the town's information security
// management system, who may act on them, and the coded errors every layer speaks. It imports only
// the standard library, so that storage (internal/postgres) and the web layer (internal/server)
// depend on it and never on each other.
package isms
