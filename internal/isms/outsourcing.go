package isms

import (
	"strconv"
	"strings"
)

// OutsourceKind is the register an asset's 委託先・外部サービス is kept in.
type OutsourceKind string

const (
	OutsourceContract        OutsourceKind = "contract"         // 業務委託: a contract with a contractor
	OutsourceExternalService OutsourceKind = "external_service" // 外部サービス (cloud)
	OutsourceSocialAccount   OutsourceKind = "social_account"   // ソーシャルメディアアカウント
)

// OutsourceKinds lists the kinds in the order forms group them.
var OutsourceKinds = []OutsourceKind{OutsourceContract, OutsourceExternalService, OutsourceSocialAccount}

// OutsourcedTo names who else keeps or processes an asset (委託先・外部サービス, domain.md §3.3): one
// of the town's contracts, external services or social media accounts. The zero value is nobody.
type OutsourcedTo struct {
	Kind OutsourceKind `json:"kind"`
	ID   int64         `json:"id"`
}

// IsZero reports whether the asset is kept by the town alone.
func (o OutsourcedTo) IsZero() bool { return o.ID == 0 }

// String is the form value: "contract:12", or "" for nobody.
func (o OutsourcedTo) String() string {
	if o.IsZero() {
		return ""
	}
	return string(o.Kind) + ":" + strconv.FormatInt(o.ID, 10)
}

// Href is the record's page.
func (o OutsourcedTo) Href() string {
	switch o.Kind {
	case OutsourceContract:
		return "/contracts/" + strconv.FormatInt(o.ID, 10)
	case OutsourceExternalService:
		return "/external-services/" + strconv.FormatInt(o.ID, 10)
	case OutsourceSocialAccount:
		return "/social-accounts/" + strconv.FormatInt(o.ID, 10)
	}
	return ""
}

// ParseOutsourcedTo reads a form value; "" is nobody. ok is false for anything else malformed.
func ParseOutsourcedTo(s string) (o OutsourcedTo, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return OutsourcedTo{}, true
	}
	kind, id, found := strings.Cut(s, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !found || err != nil || n <= 0 {
		return OutsourcedTo{}, false
	}
	o = OutsourcedTo{OutsourceKind(kind), n}
	for _, k := range OutsourceKinds {
		if o.Kind == k {
			return o, true
		}
	}
	return OutsourcedTo{}, false
}

// OutsourceTarget is a contract, external service or social media account as an asset's form,
// page and rules see it.
type OutsourceTarget struct {
	OutsourcedTo
	Number string // the register's number (K-, S-, M-)
	Name   string // the contractor and contract, the service, or the platform and account
	UnitID int64
	// Open marks a record assets may be newly linked to: a contract not ended, a service not
	// rejected or ended, an account not closed. Links made earlier stay when a record closes.
	Open bool
	// ApprovedRank is, for an external service, the rank of the confidentiality level it is
	// approved for; 0 while it is not approved.
	ApprovedRank int
}

// Label is how lists and the ledger name the target: its number and name.
func (t OutsourceTarget) Label() string { return t.Number + " " + t.Name }
