package ledger

import "github.com/jichitai-isms/isms/internal/i18n"

// Column is a column of a register's sheet. Key is the field it feeds, the same key as the
// register's form, so that the form's validation errors name the column; Label is the catalogue
// key of its header; Aliases are the other headers towns give it, which include the label in
// every catalogue language, so that an exported file reads back. Required columns must be
// mapped for an import; Width is the column's width in an xlsx, in characters.
type Column struct {
	Key      string
	Label    string
	Aliases  []string
	Required bool
	Width    float64
}

// Layout is a register's columns in the order of its ledger. Kind is the register, as
// isms.ImportKind names it.
type Layout struct {
	Kind    string
	Columns []Column
}

// Column returns the column of key.
func (l Layout) Column(key string) (Column, bool) {
	for _, c := range l.Columns {
		if c.Key == key {
			return c, true
		}
	}
	return Column{}, false
}

// newColumn builds a column whose aliases also hold its label's text in each language.
func newColumn(key, label string, required bool, width float64, aliases ...string) Column {
	for _, lang := range i18n.Languages() {
		aliases = append(aliases, lang.T(label))
	}
	return Column{Key: key, Label: label, Aliases: aliases, Required: required, Width: width}
}

// AssetLayout is the 情報資産管理台帳 (domain.md §3.3). The asset number is not required: it
// names the asset to change when a file updates the register, which the caller checks.
var AssetLayout = Layout{Kind: "assets", Columns: []Column{
	newColumn("number", "asset.number", false, 12, "資産番号", "管理番号", "資産ID", "番号", "No.", "No", "asset number", "asset no"),
	newColumn("name", "asset.name", true, 30, "資産名", "情報資産名", "名称", "資産の名称", "asset name", "name"),
	newColumn("asset_type", "asset.type", true, 16, "資産の種類", "資産種別", "種別", "種類", "分類", "type"),
	newColumn("description", "asset.description", false, 36, "概要", "内容", "説明", "用途", "description"),
	newColumn("unit_id", "asset.unit", true, 14, "所管課", "所管部署", "管理課", "担当課", "所有者", "department", "unit", "section"),
	newColumn("form", "asset.form", false, 8, "形態", "媒体", "電子・紙", "form"),
	newColumn("location", "asset.location", false, 20, "保管場所", "設置場所", "保存場所", "所在", "所在地", "location"),
	newColumn("zone", "asset.zone", false, 16, "ネットワーク区分", "配置ネットワーク", "接続系", "三層区分", "配置区分", "zone", "network zone"),
	newColumn("system_id", "asset.system", false, 20, "情報システム", "関連システム", "関連情報システム", "システム", "system"),
	newColumn("confidentiality", "asset.axis.C", true, 10, "機密性", "C", "confidentiality"),
	newColumn("integrity", "asset.axis.I", true, 8, "完全性", "I", "integrity"),
	newColumn("availability", "asset.axis.A", true, 8, "可用性", "A", "availability"),
	newColumn("contains_personal", "asset.personal", false, 8, "個人情報", "個人情報の有無", "personal information", "personal data"),
	newColumn("contains_my_number", "asset.my_number", false, 8, "特定個人情報", "特定個人情報の有無", "マイナンバー", "マイナンバーの有無", "my number"),
	newColumn("contains_sensitive", "asset.sensitive", false, 8, "要配慮個人情報", "要配慮個人情報の有無", "sensitive personal information"),
	newColumn("data_subjects", "asset.data_subjects", false, 10, "本人数", "件数", "人数", "data subjects"),
	newColumn("users_scope", "asset.users_scope", false, 20, "利用者の範囲", "利用範囲", "利用者", "users"),
	newColumn("retention", "asset.retention", false, 10, "保存期間", "保存年限", "retention"),
	newColumn("backup_policy", "asset.backup_policy", false, 20, "バックアップ", "バックアップ方法", "backup"),
	newColumn("recovery_hours", "asset.recovery_hours", false, 10, "目標復旧時間", "復旧目標時間", "復旧時間", "RTO", "recovery time"),
	newColumn("outsourced_to", "asset.outsourced_to", false, 24, "委託先・外部サービス", "委託先", "外部サービス", "委託先事業者", "contractor", "outsourced to"),
	newColumn("classified_at", "asset.classified_at", false, 12, "分類日", "分類決定日", "格付日", "決定日", "classified on"),
	newColumn("review_due", "asset.review_due", false, 12, "見直し期限", "次回見直し", "次回見直し日", "見直し日", "review due", "next review"),
	newColumn("status", "asset.status", false, 8, "状態", "ステータス", "利用状況", "status"),
}}

// SystemLayout is the 情報システム台帳 (domain.md §3.4). Its levels are not columns: a system's
// levels are those of the assets it holds. The administrator is written as an employee number.
var SystemLayout = Layout{Kind: "systems", Columns: []Column{
	newColumn("code", "system.code", true, 12, "システム番号", "システムコード", "システムID", "コード", "code", "system code"),
	newColumn("name", "system.name", true, 26, "システム名称", "システム名", "名称", "name"),
	newColumn("business", "system.business", false, 30, "関連業務", "業務", "業務概要", "概要", "business"),
	newColumn("unit_id", "system.unit", true, 14, "主管課", "所管課", "主管部署", "担当課", "主管部門", "department", "unit", "section"),
	newColumn("admin_person_id", "ledger.col.system_admin", false, 14, "情報システム管理者", "システム管理者", "管理者", "管理者の職員番号",
		"system administrator", "administrator"),
	newColumn("operators", "system.operators", false, 20, "情報システム担当者", "担当者", "operators"),
	newColumn("zone", "system.zone", true, 16, "配置区分", "ネットワーク区分", "接続系", "三層区分", "zone", "network zone"),
	newColumn("hosting", "system.hosting", true, 14, "形態", "設置形態", "運用形態", "hosting"),
	newColumn("standard_system", "system.standard_system", false, 8, "標準準拠システム", "標準化対象", "標準化", "standard system"),
	newColumn("handles_my_number", "system.handles.my_number", false, 8, "特定個人情報", "特定個人情報の取扱い", "マイナンバー", "my number"),
	newColumn("handles_personal", "system.handles.personal", false, 8, "個人情報", "個人情報の取扱い", "personal information"),
	newColumn("vendor_dev", "system.vendor_dev", false, 16, "開発事業者", "開発業者", "開発", "developer"),
	newColumn("vendor_ops", "system.vendor_ops", false, 16, "運用事業者", "運用業者", "運用", "operator"),
	newColumn("vendor_maint", "system.vendor_maint", false, 16, "保守事業者", "保守業者", "保守", "maintainer"),
	newColumn("contract_from", "system.contract_from", false, 12, "契約開始日", "契約期間開始", "契約開始", "contract from"),
	newColumn("contract_to", "system.contract_to", false, 12, "契約終了日", "契約期間終了", "契約終了", "contract to"),
	newColumn("hardware", "system.hardware", false, 20, "機種名", "機種", "ハードウェア", "hardware"),
	newColumn("location", "system.location", false, 16, "設置場所", "所在", "location"),
	newColumn("os_middleware", "system.os_middleware", false, 20, "OS・ミドルウェア", "OS", "ミドルウェア", "os middleware"),
	newColumn("auth_method", "system.auth_method", false, 16, "認証方式", "認証", "authentication method"),
	newColumn("mfa_enabled", "system.mfa", false, 8, "多要素認証", "二要素認証", "MFA"),
	newColumn("usb_block_enabled", "system.usb_block", false, 8, "持ち出し不可設定", "USB制御", "USB", "USB block"),
	newColumn("sanitization_method", "system.sanitization", false, 12, "無害化", "無害化の方式", "無害化方式", "無害化通信", "sanitization"),
	newColumn("external_connections", "system.external_connections", false, 20, "外部接続先", "外部接続", "external connections"),
	newColumn("backup", "system.backup", false, 20, "バックアップ", "バックアップ方法", "backup"),
	newColumn("recovery_hours", "system.recovery_hours", false, 10, "目標復旧時間", "復旧目標時間", "復旧時間", "RTO", "recovery time"),
	newColumn("seismic_fixing", "system.seismic", false, 8, "耐震固定", "耐震固定の有無", "seismic fixing"),
	newColumn("flood_risk", "system.flood_risk", false, 16, "浸水リスク", "洪水可能性", "場所の弱さ", "flood risk"),
	newColumn("documents", "system.documents", false, 20, "構成図・仕様書", "システム関連文書", "関連文書", "documents"),
	newColumn("replacement_due", "system.replacement_due", false, 12, "更改予定", "更改予定日", "更新予定", "replacement due"),
}}

// PersonLayout is the 職員等名簿. The unit is the first posting of a new person: adding people
// needs it, a file that only updates them does not, which the caller allows.
var PersonLayout = Layout{Kind: "people", Columns: []Column{
	newColumn("employee_no", "person.employee_no", false, 12, "職員番号", "職員コード", "職員No", "employee no", "employee number"),
	newColumn("name", "person.name", true, 16, "氏名", "名前", "職員名", "name"),
	newColumn("name_kana", "person.name_kana", false, 18, "よみがな", "ふりがな", "フリガナ", "氏名カナ", "カナ氏名", "kana"),
	newColumn("employment_type", "person.employment_type", false, 14, "任用区分", "雇用区分", "職員区分", "区分", "employment"),
	newColumn("email", "person.email", false, 24, "メールアドレス", "メール", "e-mail", "email"),
	newColumn("phone", "person.phone", false, 14, "電話番号", "電話", "内線", "内線番号", "phone"),
	newColumn("valid_from", "person.valid_from", false, 12, "在職開始日", "採用日", "任用開始日", "着任日", "valid from"),
	newColumn("valid_to", "person.valid_to", false, 12, "在職終了日", "退職日", "任期満了日", "任用終了日", "valid to"),
	newColumn("unit_id", "person.unit", true, 14, "所属", "所属課", "部署", "課", "department", "unit"),
}}
