package demo

import "github.com/jichitai-isms/isms/internal/isms"

// Town is the demo's fictional town. Every name in it is invented.
const Town = "みどり町"

// Mail domains under the reserved .example top-level domain (RFC 2606): the town's own, and the
// one of the contractors' firms.
const (
	townDomain   = "town.midori.example"
	vendorDomain = "vendor.example"
)

// unitSpec is one unit of the demo town. Units are listed parents first; codes order siblings.
type unitSpec struct {
	code, name, kana string
	typ              isms.UnitType
	parent           string // the parent's code, "" for a scope unit
	outOfScope       bool
}

// units follows the scope of the basic policy §4(1): the nine scope units at the top, then their
// 課 (and 事務局, 出先機関, 公営企業) and 係. The two groups 地方公営企業 and 出先機関 are at the
// level of a 部局; the enterprises and offices under them are the units with a 管理者. The
// primary school is outside the scope (its education network is kept apart from the town's), its
// office inside, as the policy says.
var units = []unitSpec{
	{"100", "町長部局", "チョウチョウブキョク", isms.UnitExecutive, "", false},
	{"110", "総務課", "ソウムカ", isms.UnitSection, "100", false},
	{"1101", "総務係", "ソウムガカリ", isms.UnitTeam, "110", false},
	{"1102", "人事係", "ジンジガカリ", isms.UnitTeam, "110", false},
	{"1103", "情報政策係", "ジョウホウセイサクガカリ", isms.UnitTeam, "110", false},
	{"120", "企画財政課", "キカクザイセイカ", isms.UnitSection, "100", false},
	{"1201", "企画係", "キカクガカリ", isms.UnitTeam, "120", false},
	{"1202", "財政係", "ザイセイガカリ", isms.UnitTeam, "120", false},
	{"1203", "広報係", "コウホウガカリ", isms.UnitTeam, "120", false},
	{"130", "税務課", "ゼイムカ", isms.UnitSection, "100", false},
	{"1301", "住民税係", "ジュウミンゼイガカリ", isms.UnitTeam, "130", false},
	{"1302", "資産税係", "シサンゼイガカリ", isms.UnitTeam, "130", false},
	{"1303", "収納係", "シュウノウガカリ", isms.UnitTeam, "130", false},
	{"140", "住民生活課", "ジュウミンセイカツカ", isms.UnitSection, "100", false},
	{"1401", "戸籍住民係", "コセキジュウミンガカリ", isms.UnitTeam, "140", false},
	{"1402", "生活環境係", "セイカツカンキョウガカリ", isms.UnitTeam, "140", false},
	{"150", "健康福祉課", "ケンコウフクシカ", isms.UnitSection, "100", false},
	{"1501", "福祉係", "フクシガカリ", isms.UnitTeam, "150", false},
	{"1502", "保健係", "ホケンガカリ", isms.UnitTeam, "150", false},
	{"1503", "介護保険係", "カイゴホケンガカリ", isms.UnitTeam, "150", false},
	{"1504", "子育て支援係", "コソダテシエンガカリ", isms.UnitTeam, "150", false},
	{"160", "農林課", "ノウリンカ", isms.UnitSection, "100", false},
	{"1601", "農政係", "ノウセイガカリ", isms.UnitTeam, "160", false},
	{"1602", "林務係", "リンムガカリ", isms.UnitTeam, "160", false},
	{"170", "商工観光課", "ショウコウカンコウカ", isms.UnitSection, "100", false},
	{"1701", "商工観光係", "ショウコウカンコウガカリ", isms.UnitTeam, "170", false},
	{"180", "建設課", "ケンセツカ", isms.UnitSection, "100", false},
	{"1801", "土木係", "ドボクガカリ", isms.UnitTeam, "180", false},
	{"1802", "管理係", "カンリガカリ", isms.UnitTeam, "180", false},
	{"190", "会計課", "カイケイカ", isms.UnitSection, "100", false},

	{"200", "教育委員会", "キョウイクイインカイ", isms.UnitCommittee, "", false},
	{"210", "教育委員会事務局", "キョウイクイインカイジムキョク", isms.UnitSecretariat, "200", false},
	{"2101", "学校教育係", "ガッコウキョウイクガカリ", isms.UnitTeam, "210", false},
	{"2102", "生涯学習係", "ショウガイガクシュウガカリ", isms.UnitTeam, "210", false},
	{"290", "みどり小学校", "ミドリショウガッコウ", isms.UnitSchool, "200", true},
	{"2901", "みどり小学校事務室", "ミドリショウガッコウジムシツ", isms.UnitTeam, "290", false},

	{"300", "議会", "ギカイ", isms.UnitAssembly, "", false},
	{"310", "議会事務局", "ギカイジムキョク", isms.UnitSecretariat, "300", false},

	{"400", "選挙管理委員会", "センキョカンリイインカイ", isms.UnitCommittee, "", false},
	{"410", "選挙管理委員会事務局", "センキョカンリイインカイジムキョク", isms.UnitSecretariat, "400", false},

	{"500", "監査委員", "カンサイイン", isms.UnitCommittee, "", false},
	{"510", "監査委員事務局", "カンサイインジムキョク", isms.UnitSecretariat, "500", false},

	{"600", "農業委員会", "ノウギョウイインカイ", isms.UnitCommittee, "", false},
	{"610", "農業委員会事務局", "ノウギョウイインカイジムキョク", isms.UnitSecretariat, "600", false},

	// Its 書記 are 総務課 staff, as in many towns: the committee has no office of its own.
	{"700", "固定資産評価審査委員会", "コテイシサンヒョウカシンサイインカイ", isms.UnitCommittee, "", false},

	{"800", "地方公営企業", "チホウコウエイキギョウ", isms.UnitDepartment, "", false},
	{"810", "上下水道課", "ジョウゲスイドウカ", isms.UnitEnterprise, "800", false},
	{"8101", "業務係", "ギョウムガカリ", isms.UnitTeam, "810", false},
	{"8102", "工務係", "コウムガカリ", isms.UnitTeam, "810", false},
	{"820", "町立診療所", "チョウリツシンリョウジョ", isms.UnitEnterprise, "800", false},

	{"900", "出先機関", "デサキキカン", isms.UnitDepartment, "", false},
	{"910", "北部支所", "ホクブシショ", isms.UnitBranch, "900", false},
	{"920", "中央公民館", "チュウオウコウミンカン", isms.UnitBranch, "900", false},
	{"930", "町立図書館", "チョウリツトショカン", isms.UnitBranch, "900", false},
	{"940", "学校給食センター", "ガッコウキュウショクセンター", isms.UnitBranch, "900", false},
	{"950", "みどり保育所", "ミドリホイクショ", isms.UnitBranch, "900", false},
}

// staffing is who is posted to a unit: first the people the roles below name (a key, with "c:"
// in front for a contractor's employee), then so many more of each kind of employment.
type staffing struct {
	unit                                       string
	named                                      []string
	regular, fiscalYear, temporary, contractor int
}

// staff posts about 150 people. 商工観光課 has no 課長: the post is vacant since the spring
// rotation, which leaves the 課 without 情報セキュリティ管理者 (a warning shown on purpose).
var staff = []staffing{
	{"100", []string{"mayor", "deputy_mayor"}, 0, 0, 0, 0},
	{"110", []string{"soumu.head", "c:advisor"}, 0, 0, 0, 0},
	{"1101", []string{"soumu.lead"}, 2, 1, 0, 0},
	{"1102", []string{"jinji.lead"}, 2, 0, 0, 0},
	{"1103", []string{"joho.lead", "joho.staff1", "joho.staff2", "c:vendor.se"}, 0, 1, 0, 0},
	{"120", []string{"kikaku.head"}, 0, 0, 0, 0},
	{"1201", []string{"kikaku.lead", "kikaku.auditor"}, 1, 0, 0, 0},
	{"1202", []string{"zaisei.lead"}, 2, 0, 0, 0},
	{"1203", []string{"koho.lead", "koho.staff"}, 0, 1, 0, 0},
	{"130", []string{"zeimu.head"}, 0, 0, 0, 0},
	{"1301", []string{"juminzei.lead", "zeimu.op"}, 2, 1, 0, 0},
	{"1302", []string{"shisanzei.lead"}, 3, 0, 0, 0},
	{"1303", []string{"shuno.lead"}, 2, 1, 0, 0},
	{"140", []string{"jumin.head"}, 0, 0, 0, 0},
	{"1401", []string{"koseki.lead", "c:vendor.jyuki"}, 3, 2, 0, 0},
	{"1402", []string{"kankyo.lead"}, 2, 0, 1, 0},
	{"150", []string{"fukushi.head"}, 0, 0, 0, 0},
	{"1501", []string{"fukushi.lead"}, 3, 1, 0, 0},
	{"1502", []string{"hoken.lead"}, 3, 1, 0, 0},
	{"1503", []string{"kaigo.lead"}, 2, 1, 0, 0},
	{"1504", []string{"kosodate.lead"}, 2, 1, 0, 0},
	{"160", []string{"norin.head"}, 0, 0, 0, 0},
	{"1601", []string{"nosei.lead", "norin.auditor"}, 1, 0, 0, 0},
	{"1602", []string{"rinmu.lead"}, 1, 0, 1, 0},
	{"1701", []string{"shoko.lead", "shoko.sns"}, 1, 1, 0, 0},
	{"180", []string{"kensetsu.head"}, 0, 0, 0, 0},
	{"1801", []string{"doboku.lead"}, 3, 0, 0, 0},
	{"1802", []string{"kensetsu.kanri.lead", "kensetsu.auditor"}, 1, 0, 1, 0},
	{"190", []string{"kaikei.head", "kaikei.auditor"}, 1, 1, 0, 0},

	{"200", []string{"kyoikucho"}, 0, 0, 0, 0},
	{"210", []string{"kyoiku.head"}, 1, 0, 0, 0},
	{"2101", []string{"gakko.lead"}, 2, 1, 0, 0},
	{"2102", []string{"shogai.lead"}, 2, 1, 0, 0},
	{"2901", nil, 0, 1, 0, 0},

	{"310", []string{"gikai.head"}, 2, 0, 0, 0},
	{"410", nil, 1, 0, 0, 0},
	{"510", []string{"kansa.head"}, 1, 0, 0, 0},
	{"610", []string{"noui.head"}, 1, 1, 0, 0},

	{"810", []string{"suido.head"}, 0, 0, 0, 0},
	{"8101", []string{"suido.gyomu.lead"}, 2, 1, 0, 0},
	{"8102", []string{"suido.komu.lead"}, 2, 0, 0, 1},
	{"820", []string{"shinryo.head"}, 3, 2, 0, 0},

	{"910", []string{"shisho.head"}, 1, 1, 0, 0},
	{"920", []string{"kominkan.head"}, 1, 1, 0, 0},
	{"930", []string{"tosho.head"}, 1, 3, 0, 0},
	{"940", []string{"kyushoku.head"}, 1, 2, 2, 0},
	{"950", []string{"hoiku.head"}, 3, 4, 1, 0},
}

// roleSpec gives the person with key a security role, for a unit (by code) or the whole town ("").
type roleSpec struct {
	key  string
	role isms.SecurityRoleCode
	unit string
	note string
}

// roles fills every role of the guideline the way a 町 typically does (domain.md §2.1): the
// 副町長 is CISO, the 総務課長 統括 and CSIRT責任者, the head of each 部局 or 委員会 its
// 情報セキュリティ責任者, each 課長 (事務局長, 所長, 館長) the 管理者 of the 課. One mistake is
// left on purpose: the 建設課長 is also named auditor of 建設課 (兼務の禁止).
var roles = []roleSpec{
	{"deputy_mayor", isms.RoleCodeCISO, "", "副町長"},
	{"advisor", "CISO_ADVISOR", "", "外部専門家（委託契約）"},
	{"soumu.head", isms.RoleCodeDeputyCISO, "", "総務課長"},

	{"soumu.head", isms.RoleCodeISO, "100", ""},
	{"kyoikucho", isms.RoleCodeISO, "200", "教育長"},
	{"gikai.head", isms.RoleCodeISO, "300", "議会事務局長"},
	{"soumu.head", isms.RoleCodeISO, "400", "選挙管理委員会書記長（総務課長兼務）"},
	{"kansa.head", isms.RoleCodeISO, "500", "監査委員事務局長"},
	{"noui.head", isms.RoleCodeISO, "600", "農業委員会事務局長"},
	{"kikaku.head", isms.RoleCodeISO, "700", "書記（企画財政課長兼務）"},
	{"suido.head", isms.RoleCodeISO, "800", "上下水道課長"},
	{"jumin.head", isms.RoleCodeISO, "900", "住民生活課長"},

	{"soumu.head", isms.RoleCodeISM, "110", ""},
	{"kikaku.head", isms.RoleCodeISM, "120", ""},
	{"zeimu.head", isms.RoleCodeISM, "130", ""},
	{"jumin.head", isms.RoleCodeISM, "140", ""},
	{"fukushi.head", isms.RoleCodeISM, "150", ""},
	{"norin.head", isms.RoleCodeISM, "160", ""},
	{"kensetsu.head", isms.RoleCodeISM, "180", ""},
	{"kaikei.head", isms.RoleCodeISM, "190", "会計管理者"},
	{"kyoiku.head", isms.RoleCodeISM, "210", "教育委員会事務局長"},
	{"gikai.head", isms.RoleCodeISM, "310", ""},
	{"soumu.head", isms.RoleCodeISM, "410", "選挙管理委員会書記長（総務課長兼務）"},
	{"kansa.head", isms.RoleCodeISM, "510", ""},
	{"noui.head", isms.RoleCodeISM, "610", ""},
	{"suido.head", isms.RoleCodeISM, "810", ""},
	{"shinryo.head", isms.RoleCodeISM, "820", "事務長"},
	{"shisho.head", isms.RoleCodeISM, "910", "支所長"},
	{"kominkan.head", isms.RoleCodeISM, "920", "館長"},
	{"tosho.head", isms.RoleCodeISM, "930", "館長"},
	{"kyushoku.head", isms.RoleCodeISM, "940", "所長"},
	{"hoiku.head", isms.RoleCodeISM, "950", "所長"},

	{"soumu.head", "SYS_ADMIN", "110", "庁内ネットワーク・内部情報系システム（LGWAN接続系）"},
	{"zeimu.head", "SYS_ADMIN", "130", "税務システム（標準準拠システム）"},
	{"jumin.head", "SYS_ADMIN", "140", "住民記録システム（標準準拠システム）"},
	{"fukushi.head", "SYS_ADMIN", "150", "福祉・介護保険システム"},
	{"suido.head", "SYS_ADMIN", "810", "上下水道料金システム"},
	{"joho.staff1", "SYS_OPERATOR", "110", "庁内ネットワーク・内部情報系システム"},
	{"joho.staff2", "SYS_OPERATOR", "110", "インターネット接続系・メール"},
	{"vendor.se", "SYS_OPERATOR", "110", "ネットワーク運用保守（委託先常駐SE）"},
	{"zeimu.op", "SYS_OPERATOR", "130", "税務システム"},
	{"vendor.jyuki", "SYS_OPERATOR", "140", "住民記録システム保守（委託先）"},

	{"deputy_mayor", isms.RoleCodeCommittee, "", "委員長"},
	{"soumu.head", isms.RoleCodeCommittee, "", "副委員長"},
	{"kyoikucho", isms.RoleCodeCommittee, "", ""},
	{"gikai.head", isms.RoleCodeCommittee, "", ""},
	{"kansa.head", isms.RoleCodeCommittee, "", ""},
	{"noui.head", isms.RoleCodeCommittee, "", ""},
	{"kikaku.head", isms.RoleCodeCommittee, "", ""},
	{"suido.head", isms.RoleCodeCommittee, "", ""},
	{"jumin.head", isms.RoleCodeCommittee, "", ""},

	{"soumu.head", "CSIRT_LEAD", "", "統括情報セキュリティ責任者が兼務"},
	{"joho.lead", "CSIRT_MEMBER", "", "情報政策係長"},
	{"joho.staff1", "CSIRT_MEMBER", "", ""},
	{"joho.staff2", "CSIRT_MEMBER", "", ""},
	{"soumu.lead", "CSIRT_MEMBER", "", "庁内連絡"},
	{"koho.lead", "CSIRT_MEMBER", "", "報道対応・公表"},
	{"joho.lead", "SPOC", "", "総務課情報政策係"},

	{"kaikei.head", "AUDIT_LEAD", "", "会計管理者"},
	{"kikaku.auditor", isms.RoleCodeAuditor, "130", ""},
	{"kensetsu.auditor", isms.RoleCodeAuditor, "140", ""},
	{"norin.auditor", isms.RoleCodeAuditor, "150", ""},
	{"kaikei.auditor", isms.RoleCodeAuditor, "810", ""},
	{"kensetsu.head", isms.RoleCodeAuditor, "180", "自課の監査人を兼ねている（要見直し）"},

	{"koho.staff", "EXT_SERVICE_ADMIN", "120", "ホームページ管理システム（クラウドサービス）"},
	{"joho.staff2", "EXT_SERVICE_ADMIN", "110", "Web会議サービス"},
	{"hoken.lead", "EXT_SERVICE_ADMIN", "150", "予防接種予約サービス"},
	{"koho.lead", "SNS_OWNER", "120", "町公式 X アカウント・LINE公式アカウント"},
	{"shoko.sns", "SNS_OWNER", "170", "観光 Instagram アカウント"},
}
