package isms

// Unit is an organisation unit (部局, 課, 係, 委員会 …) that owns records. Every register of the
// portal hangs from units, and a person's scope is a set of them.
type Unit struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	NameKana string `json:"name_kana"`
	ParentID int64  `json:"parent_id"`
	Version  int    `json:"version"`
}

// UnitMember is a person shown on a unit's page.
type UnitMember struct {
	UserID   int64
	Name     string
	NameKana string
	Role     Role
}
