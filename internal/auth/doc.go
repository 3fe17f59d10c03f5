// Package auth holds the portal's authentication primitives: password hashing and rules, the TOTP
// second factor, recovery codes, and sealing of secrets at rest. It has no database access and no
// HTTP, so that the store and the web layer can share it and it can be tested on its own.
package auth
