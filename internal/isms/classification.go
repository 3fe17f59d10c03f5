package isms

// Axis is one of the three axes of classification.
type Axis string

const (
	AxisC Axis = "C" // 機密性 confidentiality
	AxisI Axis = "I" // 完全性 integrity
	AxisA Axis = "A" // 可用性 availability
)

// Axes lists the axes in the order pages show them.
var Axes = []Axis{AxisC, AxisI, AxisA}

// ThresholdRank is the rank from which a level is "2以上" (自治体機密性2以上, 完全性2, 可用性2): the
// threshold of the guideline's rules on sending, transport, provision, disposal and external services.
const ThresholdRank = 2

// Scheme is a classification scheme: the levels of one edition of the guideline. The town has
// exactly one active scheme.
type Scheme struct {
	Code             string  `json:"code"`
	NameJa           string  `json:"name_ja"`
	NameEn           string  `json:"name_en"`
	EffectiveFrom    string  `json:"effective_from"` // YYYY-MM-DD
	Active           bool    `json:"active"`
	MyNumberMinLevel string  `json:"my_number_min_level"` // the lowest confidentiality for 特定個人情報
	Version          int     `json:"version"`
	Levels           []Level `json:"-" db:"-"`
}

// Name is the scheme's name in lang.
func (s Scheme) Name(lang string) string { return pick(lang, s.NameJa, s.NameEn) }

// LevelsOf returns the scheme's levels of one axis, strictest first.
func (s Scheme) LevelsOf(axis Axis) []Level {
	var out []Level
	for _, l := range s.Levels {
		if l.Axis == axis {
			out = append(out, l)
		}
	}
	return out
}

// Level is a level of one axis with its definition in the guideline's words, which the town may edit.
type Level struct {
	Code         string `json:"code"`
	SchemeCode   string `json:"scheme_code"`
	Axis         Axis   `json:"axis"`
	Rank         int    `json:"rank"`
	NameJa       string `json:"name_ja"`
	NameEn       string `json:"name_en"`
	DefinitionJa string `json:"definition_ja"`
	DefinitionEn string `json:"definition_en"`
	Version      int    `json:"version"`
}

// Name is the level's name in lang.
func (l Level) Name(lang string) string { return pick(lang, l.NameJa, l.NameEn) }

// Definition is the level's definition in lang.
func (l Level) Definition(lang string) string { return pick(lang, l.DefinitionJa, l.DefinitionEn) }

// AtLeastTwo reports whether the level is 2以上.
func (l Level) AtLeastTwo() bool { return l.Rank >= ThresholdRank }

// Restriction is a handling restriction (取扱制限).
type Restriction struct {
	Code    string `json:"code"`
	NameJa  string `json:"name_ja"`
	NameEn  string `json:"name_en"`
	Version int    `json:"version"`
}

// Name is the restriction's name in lang.
func (r Restriction) Name(lang string) string { return pick(lang, r.NameJa, r.NameEn) }

// AssetType is a kind of information asset (domain.md §3.2). Electronic types sit in a network zone.
type AssetType struct {
	Code       string `json:"code"`
	NameJa     string `json:"name_ja"`
	NameEn     string `json:"name_en"`
	Electronic bool   `json:"electronic"`
}

// Name is the type's name in lang.
func (t AssetType) Name(lang string) string { return pick(lang, t.NameJa, t.NameEn) }

// The asset types the rules refer to by code.
const (
	AssetTypeMedia = "MEDIA"       // 電磁的記録媒体: classified at least as its contents (V-A4)
	AssetTypeSNS   = "SNS_ACCOUNT" // ソーシャルメディアアカウント: never holds 2以上 (V-A7)
)

func pick(lang, ja, en string) string {
	if lang == "en" {
		return en
	}
	return ja
}
