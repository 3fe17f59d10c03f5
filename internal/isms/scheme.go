package isms

import (
	"strings"
	"unicode/utf8"
)

// Administration of the classification master: the town's wording of levels and handling
// restrictions, the default restrictions of each level, and the switch between schemes.

// LevelText is the town's wording of a level (its name and its definition in the guideline's
// words), edited by the security office; the code, axis and rank stay.
type LevelText struct {
	NameJa, NameEn             string
	DefinitionJa, DefinitionEn string
	Version                    int
}

// Normalize trims the wording.
func (in *LevelText) Normalize() {
	for _, s := range []*string{&in.NameJa, &in.NameEn, &in.DefinitionJa, &in.DefinitionEn} {
		*s = strings.TrimSpace(*s)
	}
}

// Validate checks the wording; the keys name catalogue messages. The Japanese definition is the
// one the policy states, so it is required; the English one is a translation.
func (in LevelText) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.NameJa != "", "name_ja", "validation.required")
	fe.Check(utf8.RuneCountInString(in.NameJa) <= 60, "name_ja", "validation.too_long")
	fe.Check(in.NameEn != "", "name_en", "validation.required")
	fe.Check(utf8.RuneCountInString(in.NameEn) <= 100, "name_en", "validation.too_long")
	fe.Check(in.DefinitionJa != "", "definition_ja", "validation.required")
	fe.Check(utf8.RuneCountInString(in.DefinitionJa) <= 1000, "definition_ja", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.DefinitionEn) <= 2000, "definition_en", "validation.too_long")
	return fe
}

// RestrictionNames is the town's wording of a handling restriction (取扱制限).
type RestrictionNames struct {
	NameJa, NameEn string
}

// Normalize trims the names.
func (in *RestrictionNames) Normalize() {
	in.NameJa, in.NameEn = strings.TrimSpace(in.NameJa), strings.TrimSpace(in.NameEn)
}

// Validate checks the names; the keys name catalogue messages.
func (in RestrictionNames) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.NameJa != "", "name_ja", "validation.required")
	fe.Check(utf8.RuneCountInString(in.NameJa) <= 60, "name_ja", "validation.too_long")
	fe.Check(in.NameEn != "", "name_en", "validation.required")
	fe.Check(utf8.RuneCountInString(in.NameEn) <= 100, "name_en", "validation.too_long")
	return fe
}

// SchemeSwitch is what switching to a scheme would do: how many assets in use or stored carry
// levels of another scheme (each is mapped and flagged 再分類要確認), and how many of those have a
// level with no mapping to the new scheme (the switch is refused while there are any).
type SchemeSwitch struct {
	To       Scheme
	From     Scheme
	Mapped   int
	Unmapped int
}

// Mapping leads a level of one scheme to a level of another when the town switches schemes.
// Basis narrows a confidentiality mapping by the asset's personal information: "special"
// (特定個人情報 or 要配慮個人情報), "personal" (other 個人情報), "none" (neither), or "any".
type Mapping struct {
	From  string `json:"from_level"`
	Basis string `json:"basis"`
	To    string `json:"to_level"`
}

// MappingBases lists the bases in the order pages show them.
var MappingBases = []string{"special", "personal", "none", "any"}
