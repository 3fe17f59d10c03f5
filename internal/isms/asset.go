package isms

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Zone is the network zone of the three-layer model (domain.md §8).
type Zone string

const (
	ZoneMyNumber Zone = "MYNUMBER" // マイナンバー利用事務系
	ZoneLGWAN    Zone = "LGWAN"    // LGWAN接続系
	ZoneInternet Zone = "INTERNET" // インターネット接続系
	ZoneOther    Zone = "OTHER"    // スタンドアロン等
)

// Zones lists the zones in the order forms show them.
var Zones = []Zone{ZoneMyNumber, ZoneLGWAN, ZoneInternet, ZoneOther}

// Valid reports whether z is one of the zones.
func (z Zone) Valid() bool { return slices.Contains(Zones, z) }

// AssetForm is whether an asset is electronic, on paper, or both.
type AssetForm string

const (
	FormElectronic AssetForm = "electronic"
	FormPaper      AssetForm = "paper"
	FormBoth       AssetForm = "both"
)

// AssetForms lists the forms in the order forms show them.
var AssetForms = []AssetForm{FormElectronic, FormPaper, FormBoth}

// AssetStatus is where an asset is in its life.
type AssetStatus string

const (
	AssetInUse    AssetStatus = "in_use"   // 利用中
	AssetStored   AssetStatus = "stored"   // 保管
	AssetDisposed AssetStatus = "disposed" // 廃棄済: only through a completed disposal
)

// AssetStatuses lists the statuses in the order filters show them.
var AssetStatuses = []AssetStatus{AssetInUse, AssetStored, AssetDisposed}

// Asset is an entry of the information asset register (情報資産管理台帳, domain.md §3.3).
type Asset struct {
	ID                int64        `json:"id"`
	Number            string       `json:"number"`
	Name              string       `json:"name"`
	Type              string       `json:"asset_type"`
	Description       string       `json:"description"`
	UnitID            int64        `json:"unit_id"`
	Form              AssetForm    `json:"form"`
	Location          string       `json:"location"`
	Zone              Zone         `json:"zone"`
	SystemID          int64        `json:"system_id"`
	C                 string       `json:"confidentiality"`
	I                 string       `json:"integrity"`
	A                 string       `json:"availability"`
	ContainsPersonal  bool         `json:"contains_personal"`
	ContainsMyNumber  bool         `json:"contains_my_number"`
	ContainsSensitive bool         `json:"contains_sensitive"`
	DataSubjects      *int         `json:"data_subjects"`
	UsersScope        string       `json:"users_scope"`
	Retention         string       `json:"retention"`
	BackupPolicy      string       `json:"backup_policy"`
	RecoveryHours     *int         `json:"recovery_hours"`
	OutsourcedTo      OutsourcedTo `json:"outsourced_to"`
	ClassifiedBy      int64        `json:"classified_by"`
	ClassifiedAt      time.Time    `json:"classified_at"`
	ReviewDue         time.Time    `json:"review_due"`
	Status            AssetStatus  `json:"status"`
	Reclassify        bool         `json:"reclassify"` // 再分類要確認 after a scheme switch
	Warnings          []string     `json:"warnings"`   // rule codes flagged 要確認 at the last save
	ContentIDs        []int64      `json:"content_ids"`
	Version           int          `json:"version"`
	UpdatedAt         time.Time    `json:"-"`

	UnitName         string `json:"-"`
	SystemName       string `json:"-"`
	ClassifiedByName string `json:"-"`
	OutsourcedName   string `json:"-"` // the 委託先・外部サービス's number and name
}

// AssetInput is what staff type when registering or editing an asset. Added are restrictions
// beyond the levels' defaults; Removed are defaults taken away, each with its reason.
type AssetInput struct {
	Name              string
	Type              string
	Description       string
	UnitID            int64
	Form              AssetForm
	Location          string
	Zone              Zone // "" for none
	SystemID          int64
	C, I, A           string
	ContainsPersonal  bool
	ContainsMyNumber  bool
	ContainsSensitive bool
	DataSubjects      *int
	UsersScope        string
	Retention         string
	BackupPolicy      string
	RecoveryHours     *int
	OutsourcedTo      OutsourcedTo
	ClassifiedAt      *time.Time
	ReviewDue         *time.Time
	Status            AssetStatus // in_use or stored; disposal has its own flow
	ContentIDs        []int64     // for a storage medium: the assets it holds
	Added             []string
	Removed           map[string]string
	Version           int
}

// Normalize trims the text fields, and marks 特定個人情報 and 要配慮個人情報 as personal
// information, which they are.
func (in *AssetInput) Normalize() {
	for _, s := range []*string{&in.Name, &in.Description, &in.Location, &in.UsersScope, &in.Retention,
		&in.BackupPolicy} {
		*s = strings.TrimSpace(*s)
	}
	if in.ContainsMyNumber || in.ContainsSensitive {
		in.ContainsPersonal = true
	}
	for code, reason := range in.Removed {
		in.Removed[code] = strings.TrimSpace(reason)
	}
}

// Validate checks what does not depend on master data; the rules (CheckAsset) check the rest.
func (in AssetInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Name != "", "name", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Name) <= 200, "name", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.Description) <= 2000, "description", "validation.too_long")
	fe.Check(in.Type != "", "asset_type", "validation.choose")
	fe.Check(in.UnitID != 0, "unit_id", "validation.choose")
	fe.Check(slices.Contains(AssetForms, in.Form), "form", "validation.choose")
	fe.Check(in.Zone == "" || in.Zone.Valid(), "zone", "validation.choose")
	fe.Check(in.Status == AssetInUse || in.Status == AssetStored, "status", "validation.choose")
	fe.Check(in.DataSubjects == nil || *in.DataSubjects >= 0, "data_subjects", "validation.number")
	fe.Check(in.RecoveryHours == nil || *in.RecoveryHours > 0, "recovery_hours", "validation.number")
	fe.Check(in.ClassifiedAt != nil, "classified_at", "validation.required")
	fe.Check(in.ReviewDue != nil, "review_due", "validation.required")
	for _, s := range []struct {
		field string
		v     string
	}{{"location", in.Location}, {"users_scope", in.UsersScope}, {"retention", in.Retention},
		{"backup_policy", in.BackupPolicy}} {
		fe.Check(utf8.RuneCountInString(s.v) <= 500, s.field, "validation.too_long")
	}
	for code, reason := range in.Removed {
		fe.Check(reason != "", "removed_"+code, "asset.error.removal_reason")
	}
	return fe
}

// ReviewDueDefault is the default next review of an asset classified on day: the end of that
// fiscal year (31 March).
func ReviewDueDefault(day time.Time) time.Time {
	day = Day(day)
	y := day.Year()
	if day.Month() >= time.April {
		y++
	}
	return time.Date(y, time.March, 31, 0, 0, 0, 0, time.UTC)
}

// AssetSort is the order of the asset list.
type AssetSort string

const (
	SortNumber    AssetSort = "number"
	SortName      AssetSort = "name"
	SortReviewDue AssetSort = "review_due"
)

// AssetFilter selects assets for the list; zero fields do not narrow. Pages follow (After.Key, After.ID)
// in the order of Sort.
type AssetFilter struct {
	Query        string // substring of the name or description
	UnitID       int64
	Type         string
	Zone         Zone
	C, I, A      string // level codes
	Status       AssetStatus
	Personal     bool
	MyNumber     bool
	Sensitive    bool
	Flagged      bool         // breaks a rule as a warning, or awaits reclassification
	ReviewBefore *time.Time   // review due before this day (overdue when it is today)
	OutsourcedTo OutsourcedTo // the assets naming this contract, service or account
	Sort         AssetSort
	After        *AssetCursor
	Limit        int
	Uncounted    bool // the count is not wanted (an export walks every page)
}

// AssetCursor is the position after the last asset of a page.
type AssetCursor struct {
	Key string
	ID  int64
}

// Input is the asset as the form shows it for editing, and as the rules read a stored asset.
// The handling restrictions are not part of it: FindAssetRestrictions gives them.
func (a Asset) Input() AssetInput {
	classified, review := a.ClassifiedAt, a.ReviewDue
	return AssetInput{Name: a.Name, Type: a.Type, Description: a.Description, UnitID: a.UnitID, Form: a.Form,
		Location: a.Location, Zone: a.Zone, SystemID: a.SystemID, C: a.C, I: a.I, A: a.A,
		ContainsPersonal: a.ContainsPersonal, ContainsMyNumber: a.ContainsMyNumber, ContainsSensitive: a.ContainsSensitive,
		DataSubjects: a.DataSubjects, UsersScope: a.UsersScope, Retention: a.Retention, BackupPolicy: a.BackupPolicy,
		RecoveryHours: a.RecoveryHours, OutsourcedTo: a.OutsourcedTo, ClassifiedAt: &classified, ReviewDue: &review,
		Status: a.Status, ContentIDs: slices.Clone(a.ContentIDs), Version: a.Version}
}

// Where a restriction of an asset comes from: the defaults of its levels, or added for this asset.
const (
	RestrictionDefault = "default"
	RestrictionAdded   = "added"
)

// AssetRestriction is one handling restriction in force for an asset, or a default of its levels
// taken away (Removed, with the Reason), which pages show struck through.
type AssetRestriction struct {
	Restriction
	Source  string `json:"source"` // RestrictionDefault or RestrictionAdded
	Removed bool   `json:"removed"`
	Reason  string `json:"reason,omitempty"`
}

// AssetCountCap is where counting the matches of an asset list stops: beyond it the list says
// "10,000件以上", so that a list over a million assets stays fast.
const AssetCountCap = 10000
