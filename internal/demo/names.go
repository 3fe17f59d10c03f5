package demo

// A part of a name: as written, its reading, and its romanisation for e-mail addresses.
type namePart struct{ kanji, kana, roma string }

// Common surnames and given names. The demo's people are combinations of them chosen by index, so
// they are invented, and the same on every load.
var surnames = []namePart{
	{"佐藤", "サトウ", "sato"}, {"鈴木", "スズキ", "suzuki"}, {"高橋", "タカハシ", "takahashi"},
	{"田中", "タナカ", "tanaka"}, {"伊藤", "イトウ", "ito"}, {"渡辺", "ワタナベ", "watanabe"},
	{"山本", "ヤマモト", "yamamoto"}, {"中村", "ナカムラ", "nakamura"}, {"小林", "コバヤシ", "kobayashi"},
	{"加藤", "カトウ", "kato"}, {"吉田", "ヨシダ", "yoshida"}, {"山田", "ヤマダ", "yamada"},
	{"佐々木", "ササキ", "sasaki"}, {"山口", "ヤマグチ", "yamaguchi"}, {"松本", "マツモト", "matsumoto"},
	{"井上", "イノウエ", "inoue"}, {"木村", "キムラ", "kimura"}, {"林", "ハヤシ", "hayashi"},
	{"斎藤", "サイトウ", "saito"}, {"清水", "シミズ", "shimizu"}, {"山崎", "ヤマザキ", "yamazaki"},
	{"森", "モリ", "mori"}, {"池田", "イケダ", "ikeda"}, {"橋本", "ハシモト", "hashimoto"},
	{"阿部", "アベ", "abe"}, {"石川", "イシカワ", "ishikawa"}, {"山下", "ヤマシタ", "yamashita"},
	{"中島", "ナカジマ", "nakajima"}, {"石井", "イシイ", "ishii"}, {"小川", "オガワ", "ogawa"},
	{"前田", "マエダ", "maeda"}, {"岡田", "オカダ", "okada"}, {"長谷川", "ハセガワ", "hasegawa"},
	{"藤田", "フジタ", "fujita"}, {"後藤", "ゴトウ", "goto"}, {"近藤", "コンドウ", "kondo"},
	{"村上", "ムラカミ", "murakami"}, {"遠藤", "エンドウ", "endo"}, {"青木", "アオキ", "aoki"},
	{"坂本", "サカモト", "sakamoto"}, {"工藤", "クドウ", "kudo"}, {"三浦", "ミウラ", "miura"},
}

var givenNames = [2][]namePart{
	{
		{"太郎", "タロウ", "taro"}, {"一郎", "イチロウ", "ichiro"}, {"健一", "ケンイチ", "kenichi"},
		{"誠", "マコト", "makoto"}, {"浩二", "コウジ", "koji"}, {"大輔", "ダイスケ", "daisuke"},
		{"翔太", "ショウタ", "shota"}, {"拓也", "タクヤ", "takuya"}, {"直樹", "ナオキ", "naoki"},
		{"和也", "カズヤ", "kazuya"}, {"秀樹", "ヒデキ", "hideki"}, {"隆", "タカシ", "takashi"},
		{"修", "オサム", "osamu"}, {"剛", "ツヨシ", "tsuyoshi"}, {"亮", "リョウ", "ryo"},
		{"健太", "ケンタ", "kenta"}, {"達也", "タツヤ", "tatsuya"}, {"雄一", "ユウイチ", "yuichi"},
		{"博之", "ヒロユキ", "hiroyuki"}, {"智也", "トモヤ", "tomoya"}, {"悠斗", "ユウト", "yuto"},
		{"陽介", "ヨウスケ", "yosuke"}, {"正樹", "マサキ", "masaki"}, {"聡", "サトシ", "satoshi"},
		{"康弘", "ヤスヒロ", "yasuhiro"}, {"勝", "マサル", "masaru"}, {"学", "マナブ", "manabu"},
		{"茂", "シゲル", "shigeru"}, {"進", "ススム", "susumu"}, {"大樹", "ダイキ", "daiki"},
	},
	{
		{"花子", "ハナコ", "hanako"}, {"恵子", "ケイコ", "keiko"}, {"陽子", "ヨウコ", "yoko"},
		{"直美", "ナオミ", "naomi"}, {"美穂", "ミホ", "miho"}, {"由美", "ユミ", "yumi"},
		{"真由美", "マユミ", "mayumi"}, {"智子", "トモコ", "tomoko"}, {"裕子", "ユウコ", "yuko"},
		{"久美子", "クミコ", "kumiko"}, {"明美", "アケミ", "akemi"}, {"さくら", "サクラ", "sakura"},
		{"美咲", "ミサキ", "misaki"}, {"彩", "アヤ", "aya"}, {"愛", "アイ", "ai"},
		{"舞", "マイ", "mai"}, {"千尋", "チヒロ", "chihiro"}, {"沙織", "サオリ", "saori"},
		{"理恵", "リエ", "rie"}, {"香織", "カオリ", "kaori"}, {"美和", "ミワ", "miwa"},
		{"純子", "ジュンコ", "junko"}, {"幸子", "サチコ", "sachiko"}, {"奈々", "ナナ", "nana"},
		{"葵", "アオイ", "aoi"}, {"結衣", "ユイ", "yui"}, {"綾香", "アヤカ", "ayaka"},
		{"春香", "ハルカ", "haruka"}, {"瑞穂", "ミズホ", "mizuho"}, {"紀子", "ノリコ", "noriko"},
	},
}

// personName is the i-th invented name. People with the same surname (i apart by a multiple of
// len(surnames), an even number) draw from the same list of given names at steps of
// 5+3·len(surnames), which is prime to its length: the first len(surnames)·30 names are distinct.
func personName(i int) (surname, given namePart) {
	n := len(surnames)
	list := givenNames[i%2]
	return surnames[i%n], list[(i/n*5+i*3)%len(list)]
}
