// Package migrations holds the portal's schema as numbered SQL files, embedded so that the binary
// migrates its own database. Never edit a file that has been applied anywhere: add the next number.
package migrations

import "embed"

// FS holds every NNNNNN_verb_noun.{up,down}.sql file of this folder.
//
//go:embed *.sql
var FS embed.FS
