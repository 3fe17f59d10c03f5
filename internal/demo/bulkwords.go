package demo

import "github.com/jichitai-isms/isms/internal/isms"

// The word lists of the bulk register (bulk.go). Every name is invented; the subjects are the
// ordinary business of a 町's units, so that a search for 住民, 台帳 or 申請書 finds the share of a
// register that a real town's would.

// profile is how one unit of the demo town keeps information: how much of the register is its,
// what its information is about, and how much of it holds personal information.
type profile struct {
	code     string   // the unit's code in the demo town
	weight   int      // its share of the register
	subjects []string // what its information is about
	myNumber float64  // share of its information holding 特定個人情報 (マイナンバー利用事務系)
	personal float64  // share holding other personal information
	special  float64  // of the personal information, the share that is 要配慮個人情報
	internet float64  // share of its electronic assets in the インターネット接続系
	public   float64  // share of published information (自治体機密性1)
	tech     bool     // the unit keeps the town's equipment and networks
	other    bool     // its systems stand alone (スタンドアロン等), e.g. a clinic's
}

var profiles = []profile{
	{code: "110", weight: 1, subjects: []string{"課内庶務", "予算要求", "課内会議"}, personal: 0.1},
	{code: "1101", weight: 3, subjects: []string{"例規", "文書管理", "公印", "情報公開請求", "個人情報保護", "庁舎管理", "議案", "行政区", "表彰"},
		personal: 0.2, internet: 0.05, public: 0.15},
	{code: "1102", weight: 3, subjects: []string{"人事記録", "職員給与", "勤務実績", "職員採用試験", "職員研修", "福利厚生", "職員健康診断", "服務"},
		myNumber: 0.05, personal: 0.8, special: 0.15},
	{code: "1103", weight: 5, subjects: []string{"庁内ネットワーク", "情報セキュリティ", "業務端末", "サーバ", "情報システム調達", "庁内LAN",
		"データバックアップ", "自治体情報セキュリティクラウド", "ガバメントクラウド移行"}, personal: 0.05, internet: 0.25, public: 0.02, tech: true},
	{code: "120", weight: 1, subjects: []string{"課内庶務", "予算要求"}, personal: 0.1},
	{code: "1201", weight: 2, subjects: []string{"総合計画", "統計調査", "地域振興", "ふるさと納税", "移住定住", "地方創生"},
		personal: 0.25, internet: 0.15, public: 0.25},
	{code: "1202", weight: 2, subjects: []string{"予算編成", "決算", "町債", "財務会計", "基金", "補助金交付"}, personal: 0.05, public: 0.2},
	{code: "1203", weight: 2, subjects: []string{"広報誌", "ホームページ", "報道発表", "町公式SNS", "広聴", "住民アンケート"},
		personal: 0.2, internet: 0.6, public: 0.5},
	{code: "130", weight: 1, subjects: []string{"課内庶務", "税務統計"}, personal: 0.1},
	{code: "1301", weight: 7, subjects: []string{"住民税", "給与支払報告書", "住民税課税", "住民税申告", "年金特別徴収", "扶養控除", "所得証明"},
		myNumber: 0.6, personal: 0.35},
	{code: "1302", weight: 6, subjects: []string{"固定資産税", "家屋評価", "土地課税", "名寄帳", "軽自動車税", "償却資産申告", "評価替え"},
		myNumber: 0.35, personal: 0.5},
	{code: "1303", weight: 5, subjects: []string{"町税収納", "滞納整理", "督促", "口座振替", "納税証明", "差押", "還付"},
		myNumber: 0.45, personal: 0.45},
	{code: "140", weight: 1, subjects: []string{"課内庶務", "窓口案内"}, personal: 0.1},
	{code: "1401", weight: 8, subjects: []string{"住民基本台帳", "戸籍", "住民票", "印鑑登録", "転入届", "マイナンバーカード交付", "戸籍附票", "国民年金"},
		myNumber: 0.65, personal: 0.3},
	{code: "1402", weight: 3, subjects: []string{"ごみ収集", "環境衛生", "犬の登録", "墓地", "交通安全", "防犯灯", "空き家"}, personal: 0.4, public: 0.1},
	{code: "150", weight: 1, subjects: []string{"課内庶務", "福祉計画"}, personal: 0.1},
	{code: "1501", weight: 6, subjects: []string{"生活保護", "障害者手帳", "障害福祉サービス", "民生委員", "避難行動要支援者", "高齢者福祉"},
		myNumber: 0.45, personal: 0.45, special: 0.5},
	{code: "1502", weight: 5, subjects: []string{"健康診断", "予防接種", "母子健康手帳", "がん検診", "特定健診", "健康相談"},
		myNumber: 0.3, personal: 0.6, special: 0.6},
	{code: "1503", weight: 5, subjects: []string{"介護保険", "要介護認定", "介護保険料", "介護給付", "地域包括支援"},
		myNumber: 0.55, personal: 0.4, special: 0.4},
	{code: "1504", weight: 4, subjects: []string{"児童手当", "保育所入所", "子ども医療費助成", "ひとり親支援", "児童扶養手当"},
		myNumber: 0.5, personal: 0.45, special: 0.1},
	{code: "160", weight: 1, subjects: []string{"課内庶務"}, personal: 0.1},
	{code: "1601", weight: 2, subjects: []string{"農地", "農業者", "農業補助金", "鳥獣被害対策", "水田", "農業振興地域"}, personal: 0.4},
	{code: "1602", weight: 1, subjects: []string{"森林", "林道", "森林経営計画", "松くい虫防除"}, personal: 0.2},
	{code: "1701", weight: 2, subjects: []string{"観光振興", "商工会", "企業誘致", "観光イベント", "観光案内", "中小企業融資"},
		personal: 0.2, internet: 0.35, public: 0.3},
	{code: "180", weight: 1, subjects: []string{"課内庶務"}, personal: 0.1},
	{code: "1801", weight: 3, subjects: []string{"道路改良工事", "橋梁点検", "工事設計", "河川", "除雪", "工事検査"}, personal: 0.05, public: 0.05},
	{code: "1802", weight: 2, subjects: []string{"道路", "町営住宅", "道路占用許可", "境界確定", "町有地"}, personal: 0.4},
	{code: "190", weight: 2, subjects: []string{"支出命令", "公金", "出納", "指定金融機関", "歳計現金", "支払調書"}, myNumber: 0.1, personal: 0.3},
	{code: "210", weight: 1, subjects: []string{"教育委員会会議", "教育予算"}, personal: 0.1},
	{code: "2101", weight: 3, subjects: []string{"学齢簿", "就学援助", "教科書採択", "学校施設", "教職員", "通学路"},
		myNumber: 0.15, personal: 0.55, special: 0.1},
	{code: "2102", weight: 2, subjects: []string{"公民館講座", "スポーツ少年団", "文化財", "成人式", "読書推進"}, personal: 0.3, internet: 0.2, public: 0.2},
	{code: "2901", weight: 1, subjects: []string{"学籍", "出席", "成績", "学校徴収金", "児童健康診断"}, personal: 0.7, special: 0.2},
	{code: "310", weight: 2, subjects: []string{"会議録", "議案", "請願・陳情", "政務活動費", "議員", "常任委員会"}, personal: 0.15, public: 0.35},
	{code: "410", weight: 1, subjects: []string{"選挙人名簿", "期日前投票", "投票所", "開票", "在外選挙人名簿"}, personal: 0.6},
	{code: "510", weight: 1, subjects: []string{"例月出納検査", "定期監査", "決算審査", "住民監査請求"}, personal: 0.1},
	{code: "610", weight: 1, subjects: []string{"農地", "農地転用許可", "農地法3条許可", "農業委員", "遊休農地"}, personal: 0.5},
	{code: "8101", weight: 3, subjects: []string{"水道料金", "検針", "給水契約", "口座振替", "下水道使用料", "開栓・閉栓"}, personal: 0.6, internet: 0.02},
	{code: "8102", weight: 2, subjects: []string{"配水管", "管路", "給水装置工事", "浄水場", "漏水調査"}, personal: 0.1},
	{code: "820", weight: 3, subjects: []string{"診療録", "レセプト", "検査結果", "処方", "診療予約", "医療機器"}, personal: 0.8, special: 0.85, other: true},
	{code: "910", weight: 2, subjects: []string{"住民票交付", "証明書交付", "窓口受付", "各種申請受付", "支所施設"}, myNumber: 0.3, personal: 0.4},
	{code: "920", weight: 1, subjects: []string{"講座受講者", "施設利用", "公民館だより", "施設予約"}, personal: 0.4, internet: 0.2, public: 0.2},
	{code: "930", weight: 1, subjects: []string{"図書館利用者", "貸出", "蔵書", "読み聞かせ"}, personal: 0.5, internet: 0.3},
	{code: "940", weight: 1, subjects: []string{"献立", "食材発注", "食物アレルギー対応", "給食費", "衛生管理"}, personal: 0.3, special: 0.5},
	{code: "950", weight: 2, subjects: []string{"園児", "保育記録", "連絡帳", "園児健康記録", "延長保育"}, personal: 0.75, special: 0.2},
}

// systemSpec is a system of the system register (情報システム台帳) kept by one unit.
type systemSpec struct {
	unit, name, business string
	zone                 isms.Zone
	hosting              isms.Hosting
	standard, myNumber   bool
	personal             bool
	sanitization         isms.Sanitization
}

// systems are the town's systems: the 標準準拠システム of the マイナンバー利用事務系 on the
// ガバメントクラウド, the internal systems of the LGWAN接続系, and a few in the インターネット接続系.
// One マイナンバー system lacks USB blocking (bulkSystems), for its 要確認 to show.
var systemSpecs = []systemSpec{
	{"1101", "文書管理システム", "起案・決裁・文書の保存", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, true, ""},
	{"1101", "例規集システム", "例規の編集・公開", isms.ZoneLGWAN, isms.HostingLGWANASP, false, false, false, ""},
	{"1102", "人事給与システム", "人事記録・給与計算・源泉徴収", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, true, ""},
	{"1103", "グループウェア", "庁内の掲示板・スケジュール・施設予約", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, true, ""},
	{"1103", "庁内ネットワーク（LGWAN接続系）", "庁内LAN・LGWAN接続", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, false, ""},
	{"1103", "インターネットメールシステム", "インターネットメールの送受信（メールテキスト化してLGWAN接続系へ転送）", isms.ZoneInternet, isms.HostingDataCenter, false, false, true, isms.SanitizeText},
	{"1103", "画面転送システム", "LGWAN接続系端末からのインターネット閲覧", isms.ZoneInternet, isms.HostingOnPremises, false, false, false, isms.SanitizeScreen},
	{"1103", "ファイル無害化システム", "インターネット接続系からのファイル取込み", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, false, isms.SanitizeFile},
	{"1103", "統合端末管理システム", "マイナンバー利用事務系端末の認証・ログ管理", isms.ZoneMyNumber, isms.HostingOnPremises, false, false, false, ""},
	{"1202", "財務会計システム", "予算編成・執行・決算", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, true, ""},
	{"1203", "ホームページ管理システム", "町ホームページの作成・公開", isms.ZoneInternet, isms.HostingPublicCloud, false, false, false, ""},
	{"1301", "個人住民税システム", "住民税の賦課", isms.ZoneMyNumber, isms.HostingGovCloud, true, true, true, ""},
	{"1301", "eLTAX連携システム", "給与支払報告書・年金特別徴収の電子受付", isms.ZoneMyNumber, isms.HostingLGWANASP, false, true, true, ""},
	{"1302", "固定資産税システム", "固定資産税・軽自動車税の賦課", isms.ZoneMyNumber, isms.HostingGovCloud, true, true, true, ""},
	{"1302", "地番図・家屋図システム", "土地・家屋の図面管理", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, true, ""},
	{"1303", "収納管理システム", "町税の収納・還付", isms.ZoneMyNumber, isms.HostingGovCloud, true, true, true, ""},
	{"1303", "滞納管理システム", "滞納整理・折衝記録", isms.ZoneMyNumber, isms.HostingGovCloud, false, true, true, ""},
	{"1401", "住民記録システム", "住民基本台帳・住民票の発行", isms.ZoneMyNumber, isms.HostingGovCloud, true, true, true, ""},
	{"1401", "戸籍情報システム", "戸籍の記録・証明", isms.ZoneMyNumber, isms.HostingDataCenter, true, true, true, ""},
	{"1401", "証明書コンビニ交付システム", "住民票の写し等のコンビニ交付", isms.ZoneMyNumber, isms.HostingLGWANASP, false, true, true, ""},
	{"1401", "住民基本台帳ネットワークシステム", "本人確認情報の提供", isms.ZoneMyNumber, isms.HostingOnPremises, false, true, true, ""},
	{"1402", "犬の登録管理システム", "犬の登録・狂犬病予防注射", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, true, ""},
	{"1501", "福祉総合システム", "障害者福祉・高齢者福祉の給付", isms.ZoneMyNumber, isms.HostingGovCloud, true, true, true, ""},
	{"1501", "生活保護システム", "保護の決定・扶助費の支給", isms.ZoneMyNumber, isms.HostingGovCloud, true, true, true, ""},
	{"1502", "健康管理システム", "健診・予防接種の記録", isms.ZoneMyNumber, isms.HostingGovCloud, true, true, true, ""},
	{"1503", "介護保険システム", "資格・認定・保険料・給付", isms.ZoneMyNumber, isms.HostingGovCloud, true, true, true, ""},
	{"1504", "児童手当システム", "児童手当・児童扶養手当の支給", isms.ZoneMyNumber, isms.HostingGovCloud, true, true, true, ""},
	{"1504", "子ども・子育て支援システム", "保育所入所・子ども医療費助成", isms.ZoneMyNumber, isms.HostingGovCloud, true, true, true, ""},
	{"1601", "農家台帳システム", "農家・農地の管理", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, true, ""},
	{"1801", "設計積算システム", "工事の設計・積算", isms.ZoneLGWAN, isms.HostingLGWANASP, false, false, false, ""},
	{"1802", "道路台帳管理システム", "道路台帳・占用の管理", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, true, ""},
	{"2101", "学齢簿システム", "学齢簿の編製・就学通知", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, true, ""},
	{"2901", "校務支援システム", "学籍・出欠・成績の管理", isms.ZoneOther, isms.HostingOnPremises, false, false, true, ""},
	{"410", "選挙システム", "選挙人名簿・投票の管理", isms.ZoneLGWAN, isms.HostingDataCenter, false, false, true, ""},
	{"610", "農地台帳システム", "農地台帳・農地の貸借", isms.ZoneLGWAN, isms.HostingLGWANASP, false, false, true, ""},
	{"8101", "上下水道料金システム", "料金の調定・収納・検針", isms.ZoneLGWAN, isms.HostingDataCenter, false, false, true, ""},
	{"8102", "管路情報システム", "管路図・工事履歴", isms.ZoneLGWAN, isms.HostingOnPremises, false, false, false, ""},
	{"820", "電子カルテシステム", "診療録・オーダー", isms.ZoneOther, isms.HostingOnPremises, false, false, true, ""},
	{"820", "レセプトコンピュータ", "診療報酬の請求", isms.ZoneOther, isms.HostingOnPremises, false, false, true, ""},
	{"920", "施設予約システム", "公共施設の予約受付", isms.ZoneInternet, isms.HostingPublicCloud, false, false, true, ""},
	{"930", "図書館システム", "蔵書・貸出・利用者の管理", isms.ZoneInternet, isms.HostingDataCenter, false, false, true, ""},
	{"950", "保育業務支援システム", "登降園・連絡帳", isms.ZoneInternet, isms.HostingPublicCloud, false, false, true, ""},
}

// vendors are the contractors' firms, all invented.
var vendors = []string{"株式会社みどり情報サービス", "東北システム開発株式会社", "株式会社さくら電算", "北奥羽ネットワーク株式会社", "みちのくデータセンター株式会社"}

// typeWeight is how often an asset type appears in the register: mostly information, electronic
// and on paper; equipment and media mostly where the networks are kept (tech units weigh it more).
type typeWeight struct {
	code       string
	weight     int
	techWeight int
}

var typeWeights = []typeWeight{
	{"INFO_ELECTRONIC", 440, 200},
	{"INFO_PAPER", 330, 80},
	{"SYS_DOC", 50, 150},
	{"HARDWARE", 60, 200},
	{"SOFTWARE", 35, 120},
	{"MEDIA", 40, 80},
	{"NETWORK", 10, 100},
	{"FACILITY", 8, 30},
	{"CLOUD_SERVICE", 15, 30},
	{"SYSTEM", 10, 10},
	{"SNS_ACCOUNT", 2, 0},
}

// What an asset of each type is called: the subject comes first (住民税課税台帳, 戸籍届書).
var (
	paperKinds = []string{"申請書", "届出書", "台帳", "名簿", "決定通知書（控）", "調査票", "起案文書", "受付簿", "申告書", "報告書",
		"契約書", "証明書交付申請書", "同意書", "通知書（控）", "照会文書", "復命書", "一覧表", "申請書（写し）", "処理簿"}
	electronicKinds = []string{"データ", "台帳データ", "一覧表", "集計表", "名簿データ", "申請データ", "異動データ", "照会結果データ",
		"管理ファイル", "統計データ", "帳票データ", "バックアップデータ", "台帳（電子）", "申請書（電子申請分）"}
	docKinds      = []string{"仕様書", "運用手順書", "ネットワーク構成図", "設計書", "操作マニュアル", "保守契約書", "障害対応手順書", "システム構成図"}
	hardwareKinds = []string{"業務端末", "サーバ", "プリンタ", "複合機", "証明書発行端末", "ノートパソコン", "タブレット端末", "スキャナ"}
	softwareKinds = []string{"業務アプリケーション", "ウイルス対策ソフト", "OSライセンス", "帳票作成ソフト", "表計算マクロ", "データベースソフト"}
	networkKinds  = []string{"ルータ", "スイッチ", "ファイアウォール", "LGWAN回線", "無線LANアクセスポイント", "VPN装置"}
	mediaKinds    = []string{"USBメモリ", "外付けHDD", "DVD-R", "バックアップテープ", "SDカード", "光ディスク"}
	facilityKinds = []string{"サーバ室", "書庫", "無停電電源装置", "空調設備", "入退室管理装置", "耐火金庫"}
	cloudKinds    = []string{"Web会議サービス", "オンライン申請サービス", "クラウドストレージ", "電子契約サービス", "アンケート集計サービス", "メール配信サービス"}
	snsKinds      = []string{"町公式Xアカウント", "LINE公式アカウント", "観光Instagramアカウント", "町公式YouTubeチャンネル", "町公式Facebookページ"}
	yearPrefixes  = []string{"令和5年度", "令和6年度", "令和7年度", "令和8年度"}
)

// Sentences of descriptions.
var (
	commonNotes = []string{"年度ごとに更新する。", "担当者間で引き継ぎ、異動時に内容を確認する。", "住民からの問合せ対応に使用する。",
		"各種申請書の受付状況を記録する。", "関係課への照会に使用する。", "条例及び規則に基づき作成する。", "保存期間満了後に廃棄する。",
		"課長の決裁を経て保存する。", "監査の際に提示する。", "前年度分と照合して確認する。"}
	personalNotes = []string{"住民の氏名・住所・生年月日を含む。", "申請者の氏名と連絡先を含む。", "本人確認書類の写しを含む。",
		"世帯の状況を含む。"}
	myNumberNote = "個人番号（マイナンバー）を含むため、マイナンバー利用事務系でのみ取り扱う。"
	specialNotes = []string{"要配慮個人情報（病歴・障害の有無等）を含む。", "心身の状況に関する記録を含む。"}
	paperNotes   = []string{"原本は施錠できる書庫に保管する。", "閲覧は執務室内に限る。", "外部への持出しは管理者の許可を要する。"}
	digitalNotes = []string{"業務システムから出力し、共有フォルダには保存しない。", "ファイルにはパスワードを設定する。",
		"業務システム内で管理する。"}
	equipmentNotes = []string{"設置場所から移動しない。", "保守契約に基づき点検する。", "更新時にデータを消去する。"}
	usersScopes    = []string{"担当係員", "課長及び担当者", "課内職員", "全庁職員（閲覧のみ）", "担当係員及び委託先"}
	retentions     = []string{"1年", "3年", "5年", "5年", "10年", "10年", "30年", "常用", "永年"}
	paperPlaces    = []string{"執務室 書棚", "執務室 施錠キャビネット", "庁舎地下書庫", "課内書庫", "耐火金庫"}
	digitalPlaces  = []string{"庁内ファイルサーバ", "業務システム内", "担当端末", "ガバメントクラウド", "LGWAN-ASP事業者データセンター"}
	backupsDigital = []string{"日次で庁内バックアップサーバへ取得（7世代）", "週次で外部媒体に取得し耐火金庫に保管",
		"事業者が日次でバックアップを取得（契約で規定）", "月次で暗号化した媒体に取得し遠隔地に保管"}
	backupsPaper  = []string{"原本のほか写しを別棟書庫に保管", "電子化した写しを文書管理システムに保存"}
	recoveryHours = []int{4, 8, 24, 48, 72}
	secretSubject = "国から受領した秘密文書"
)
