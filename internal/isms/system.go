package isms

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Hosting is where a system runs (domain.md §3.4 形態). Display names are in the catalogue
// ("system.hosting.<code>").
type Hosting string

const (
	HostingOnPremises  Hosting = "onpremises"   // 庁内設置
	HostingDataCenter  Hosting = "datacenter"   // データセンター
	HostingGovCloud    Hosting = "gov_cloud"    // ガバメントクラウド
	HostingLGWANASP    Hosting = "lgwan_asp"    // LGWAN-ASP
	HostingPublicCloud Hosting = "public_cloud" // パブリッククラウド
)

// Hostings lists the hosting kinds in the order forms show them.
var Hostings = []Hosting{HostingOnPremises, HostingDataCenter, HostingGovCloud, HostingLGWANASP, HostingPublicCloud}

// Valid reports whether h is one of the hosting kinds.
func (h Hosting) Valid() bool { return slices.Contains(Hostings, h) }

// Sanitization is how data comes into the LGWAN zone from the internet (無害化通信, domain.md
// §8.2). Display names are in the catalogue ("system.sanitization.<code>").
type Sanitization string

const (
	SanitizeText   Sanitization = "text"              // テキスト化 (メールテキスト化)
	SanitizeScreen Sanitization = "screen_transfer"   // 画面転送
	SanitizeFile   Sanitization = "file_sanitization" // ファイル無害化
)

// Sanitizations lists the methods in the order forms show them.
var Sanitizations = []Sanitization{SanitizeText, SanitizeScreen, SanitizeFile}

// Valid reports whether s is one of the methods; "" (none) is valid too.
func (s Sanitization) Valid() bool { return s == "" || slices.Contains(Sanitizations, s) }

// System is an entry of the system register (情報システム台帳, domain.md §3.4). Its C, I and A
// are never typed: they are the highest levels of the information assets it holds that are not
// disposed of, named in the active scheme (zero Levels while it holds none).
type System struct {
	ID                  int64        `json:"id"`
	Code                string       `json:"code"`
	Name                string       `json:"name"`
	Business            string       `json:"business"`
	UnitID              int64        `json:"unit_id"`
	AdminPersonID       int64        `json:"admin_person_id"` // 情報システム管理者, 0 if none
	Operators           string       `json:"operators"`
	Zone                Zone         `json:"zone"`
	Hosting             Hosting      `json:"hosting"`
	StandardSystem      bool         `json:"standard_system"`
	HandlesMyNumber     bool         `json:"handles_my_number"`
	HandlesPersonal     bool         `json:"handles_personal"`
	VendorDev           string       `json:"vendor_dev"`
	VendorOps           string       `json:"vendor_ops"`
	VendorMaint         string       `json:"vendor_maint"`
	ContractFrom        *time.Time   `json:"contract_from"`
	ContractTo          *time.Time   `json:"contract_to"`
	Hardware            string       `json:"hardware"`
	Location            string       `json:"location"`
	OSMiddleware        string       `json:"os_middleware"`
	AuthMethod          string       `json:"auth_method"`
	MFAEnabled          bool         `json:"mfa_enabled"`
	USBBlockEnabled     bool         `json:"usb_block_enabled"`
	Sanitization        Sanitization `json:"sanitization_method"`
	ExternalConnections string       `json:"external_connections"`
	Backup              string       `json:"backup"`
	RecoveryHours       *int         `json:"recovery_hours"`
	SeismicFixing       bool         `json:"seismic_fixing"`
	FloodRisk           string       `json:"flood_risk"`
	Documents           string       `json:"documents"`
	ReplacementDue      *time.Time   `json:"replacement_due"`
	Warnings            []string     `json:"warnings"` // rule codes flagged 要確認 at the last save
	Version             int          `json:"version"`
	CreatedAt           time.Time    `json:"-"`
	UpdatedAt           time.Time    `json:"-"`

	UnitName   string `json:"-"`
	AdminName  string `json:"-"`
	C, I, A    Level  `json:"-"` // computed from the assets held
	AssetCount int    `json:"-"` // assets held that are not disposed of
}

// Level returns the system's computed level of one axis.
func (s System) Level(axis Axis) Level {
	switch axis {
	case AxisC:
		return s.C
	case AxisI:
		return s.I
	}
	return s.A
}

// Input returns the system as its edit form starts.
func (s System) Input() SystemInput {
	return SystemInput{
		Code: s.Code, Name: s.Name, Business: s.Business, UnitID: s.UnitID, AdminPersonID: s.AdminPersonID,
		Operators: s.Operators, Zone: s.Zone, Hosting: s.Hosting, StandardSystem: s.StandardSystem,
		HandlesMyNumber: s.HandlesMyNumber, HandlesPersonal: s.HandlesPersonal, VendorDev: s.VendorDev,
		VendorOps: s.VendorOps, VendorMaint: s.VendorMaint, ContractFrom: s.ContractFrom, ContractTo: s.ContractTo,
		Hardware: s.Hardware, Location: s.Location, OSMiddleware: s.OSMiddleware, AuthMethod: s.AuthMethod,
		MFAEnabled: s.MFAEnabled, USBBlockEnabled: s.USBBlockEnabled, Sanitization: s.Sanitization,
		ExternalConnections: s.ExternalConnections, Backup: s.Backup, RecoveryHours: s.RecoveryHours,
		SeismicFixing: s.SeismicFixing, FloodRisk: s.FloodRisk, Documents: s.Documents,
		ReplacementDue: s.ReplacementDue, Version: s.Version,
	}
}

// SystemInput is what staff type when registering or editing a system.
type SystemInput struct {
	Code                string
	Name                string
	Business            string
	UnitID              int64
	AdminPersonID       int64 // must hold 情報システム管理者 (SYS_ADMIN) for UnitID on the day of the save
	Operators           string
	Zone                Zone
	Hosting             Hosting
	StandardSystem      bool
	HandlesMyNumber     bool
	HandlesPersonal     bool
	VendorDev           string
	VendorOps           string
	VendorMaint         string
	ContractFrom        *time.Time
	ContractTo          *time.Time
	Hardware            string
	Location            string
	OSMiddleware        string
	AuthMethod          string
	MFAEnabled          bool
	USBBlockEnabled     bool
	Sanitization        Sanitization
	ExternalConnections string
	Backup              string
	RecoveryHours       *int
	SeismicFixing       bool
	FloodRisk           string
	Documents           string
	ReplacementDue      *time.Time
	Version             int
}

// Normalize trims the text fields, and marks a system that handles 特定個人情報 as handling
// personal information, which it does.
func (in *SystemInput) Normalize() {
	for _, s := range in.texts() {
		*s.v = strings.TrimSpace(*s.v)
	}
	if in.HandlesMyNumber {
		in.HandlesPersonal = true
	}
}

// systemText is a text field of the form with its longest length in characters.
type systemText struct {
	field string
	v     *string
	max   int
}

func (in *SystemInput) texts() []systemText {
	return []systemText{
		{"code", &in.Code, 100}, {"name", &in.Name, 200}, {"business", &in.Business, 2000},
		{"operators", &in.Operators, 2000}, {"vendor_dev", &in.VendorDev, 200}, {"vendor_ops", &in.VendorOps, 200},
		{"vendor_maint", &in.VendorMaint, 200}, {"hardware", &in.Hardware, 2000}, {"location", &in.Location, 200},
		{"os_middleware", &in.OSMiddleware, 2000}, {"auth_method", &in.AuthMethod, 200},
		{"external_connections", &in.ExternalConnections, 2000}, {"backup", &in.Backup, 2000},
		{"flood_risk", &in.FloodRisk, 200}, {"documents", &in.Documents, 2000},
	}
}

// SystemTooLong is the catalogue key of the message for a text longer than max characters.
func SystemTooLong(max int) string {
	switch max {
	case 100:
		return "validation.too_long"
	case 200:
		return "system.error.too_long_200"
	}
	return "system.error.too_long_2000"
}

// Validate checks what does not depend on stored data; the store checks the unit, the
// administrator's role and the code's uniqueness, and CheckSystem the zone rules.
func (in SystemInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Code != "", "code", "validation.required")
	fe.Check(in.Name != "", "name", "validation.required")
	for _, s := range in.texts() {
		fe.Check(utf8.RuneCountInString(*s.v) <= s.max, s.field, SystemTooLong(s.max))
	}
	fe.Check(in.UnitID != 0, "unit_id", "validation.choose")
	fe.Check(in.Zone.Valid(), "zone", "validation.choose")
	fe.Check(in.Hosting.Valid(), "hosting", "validation.choose")
	fe.Check(in.Sanitization.Valid(), "sanitization_method", "validation.choose")
	fe.Check(in.ContractFrom == nil || in.ContractTo == nil || !in.ContractTo.Before(*in.ContractFrom),
		"contract_to", "validation.period")
	fe.Check(in.RecoveryHours == nil || *in.RecoveryHours > 0, "recovery_hours", "system.error.recovery_hours")
	return fe
}

// CheckSystem applies the system rules to a system about to be saved (or as it stands, for its
// page). exceptions are the rule codes with a current 例外措置 for the system. Z-4: a system in
// the マイナンバー利用事務系 needs multi-factor authentication and blocking of data removal by USB
// and the like (domain.md §8.2); without them it is flagged 要確認, unless the CISO has permitted
// an exception, which the system's page then shows in place of the finding.
func CheckSystem(in SystemInput, exceptions map[string]bool) Findings {
	var fs Findings
	if in.Zone == ZoneMyNumber && (!in.MFAEnabled || !in.USBBlockEnabled) && !exceptions[RuleMyNumberSystem.Code] {
		fs = append(fs, Finding{Rule: RuleMyNumberSystem})
	}
	return fs
}

// RoleCodeSystemAdmin is 情報システム管理者, held for the unit that owns a system: a system's
// administrator must hold it.
const RoleCodeSystemAdmin SecurityRoleCode = "SYS_ADMIN"

// SystemEditor reports whether the actor registers systems of some unit: the security office
// everywhere, staff in their own units. The CISO and auditors read the register; they do not
// keep it. Actor.Edits answers for a given unit.
func SystemEditor(a Actor) bool {
	return a.Can(PermEditAllRegisters) || a.System || a.SignedIn() && a.Role == RoleStaff
}

// SystemFilter selects systems for the register; zero fields do not narrow. Pages follow the
// code after After.
type SystemFilter struct {
	Query   string // substring of the code or name
	UnitID  int64
	Zone    Zone
	Flagged bool // carries a 要確認 flag
	After   string
	Limit   int
}

// SystemAsset is an information asset as the page of its system lists it.
type SystemAsset struct {
	ID       int64
	Number   string
	Name     string
	UnitID   int64
	UnitName string
	C, I, A  Level
	Status   AssetStatus
}
