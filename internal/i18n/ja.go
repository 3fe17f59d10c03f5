package i18n

// ja is the default catalogue. Wording follows the MIC guideline for local
// government information security policy (地方公共団体における情報セキュリティ
// ポリシーに関するガイドライン) so staff see the terms they already use.
var ja = map[string]string{
	"app.name":    "情報セキュリティ管理ポータル",
	"app.tagline": "地方公共団体の情報セキュリティポリシーに基づく情報セキュリティマネジメントを支えるポータル",

	"nav.skip": "本文へスキップ",
	"nav.main": "メインメニュー",
	"nav.home": "ホーム",

	// Language names are written in their own language in every catalogue.
	"lang.switch": "言語",
	"lang.ja":     "日本語",
	"lang.en":     "English",

	"footer.note": "情報セキュリティ基本方針に基づく運用",

	"home.title":       "ようこそ",
	"home.lead":        "本ポータルでは、機密性・完全性・可用性により分類した情報資産管理台帳をはじめ、組織体制と情報セキュリティに関する役割、研修・訓練、情報セキュリティインシデント、情報セキュリティポリシーの見直し、自己点検及び情報セキュリティ監査を一元的に管理します。",
	"home.fiscal_year": "現在の年度",
	"home.today":       "本日",

	"error.not_found.title":   "ページが見つかりません",
	"error.not_found.body":    "お探しのページは存在しないか、閲覧する権限がありません。",
	"error.server.title":      "システムエラー",
	"error.server.body":       "処理中にエラーが発生しました。時間をおいて再度お試しください。問題が続く場合は情報システム担当者に連絡してください。参照番号: %s",
	"error.forbidden.title":   "アクセスできません",
	"error.forbidden.body":    "この操作を行う権限がありません。",
	"error.bad_request.title": "不正な要求",
	"error.bad_request.body":  "要求の内容を処理できませんでした。",
	"error.method.title":      "許可されていない操作",
	"error.method.body":       "この方法ではこのページを操作できません。",
	"error.conflict.title":    "他の更新と競合しました",
	"error.conflict.body":     "このデータは他の人が先に更新しました。最新の内容を確認してから、もう一度操作してください。",
	"error.too_large.title":   "データが大きすぎます",
	"error.too_large.body":    "送信されたデータが上限を超えています。",
	"error.unavailable.title": "一時的に利用できません",
	"error.unavailable.body":  "データベースに接続できません。しばらくしてから再度お試しください。",
	"error.back_home":         "ホームに戻る",
}
