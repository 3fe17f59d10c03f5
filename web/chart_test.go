package web

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jichitai-isms/isms/internal/i18n"
)

// The largest bar fills the plot, the others are in proportion, and a small value still shows.
func TestBarChartScalesToLargest(t *testing.T) {
	l := BarChart{Bars: []ChartBar{{Label: "4月", Value: 10}, {Label: "5月", Value: 5}, {Label: "6月", Value: 0}}}.layout()
	if l.Bars[0].H != vPlot || l.Bars[1].H != vPlot/2 || l.Bars[2].H != 0 {
		t.Errorf("heights %d %d %d, want %d %d 0", l.Bars[0].H, l.Bars[1].H, l.Bars[2].H, vPlot, vPlot/2)
	}
	if l.Bars[0].Y+l.Bars[0].H != l.AxisY1 || l.Bars[1].Y+l.Bars[1].H != l.AxisY1 {
		t.Error("vertical bars do not stand on the axis")
	}
	tiny := BarChart{Horizontal: true, Bars: []ChartBar{{Label: "a", Value: 1000}, {Label: "b", Value: 1}}}.layout()
	if tiny.Bars[1].W < 2 {
		t.Errorf("a value of 1 next to 1000 is %d wide, want a visible sliver", tiny.Bars[1].W)
	}
	if tiny.Height != 2*hPad+2*hRow {
		t.Errorf("height %d for two rows", tiny.Height)
	}
}

// All zero draws no bars but every label and a 0; a single bar keeps a bar's width.
func TestBarChartZeroAndSingle(t *testing.T) {
	zero := BarChart{Bars: []ChartBar{{Label: "4月"}, {Label: "5月"}}}.layout()
	for _, b := range zero.Bars {
		if b.H != 0 || b.Value != "0" || b.Label == "" {
			t.Errorf("all-zero bar %+v", b)
		}
	}
	one := BarChart{Bars: []ChartBar{{Label: "誤送信・誤送付", Value: 3}}}.layout()
	if len(one.Bars) != 1 || one.Bars[0].W != vMaxBar || one.Bars[0].H != vPlot {
		t.Errorf("single bar %+v, want %d wide and full height", one.Bars, vMaxBar)
	}
	if one.Bars[0].X < 0 || one.Bars[0].X+one.Bars[0].W > one.Width {
		t.Error("single bar outside the drawing")
	}
}

// A long Japanese label is cut to its room with "…"; a short one is left whole.
func TestBarChartShortensLongLabels(t *testing.T) {
	long := "規定違反（無断持出し等）による情報資産の外部への持出し"
	l := BarChart{Horizontal: true, Bars: []ChartBar{{Label: long, Value: 1}, {Label: "内部不正", Value: 2}}}.layout()
	got := l.Bars[0].Label
	if !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Errorf("long label shortened to %q", got)
	}
	if textWidth(got) > float64(hLabel-2*hPad) || utf8.RuneCountInString(got) < 5 {
		t.Errorf("shortened label %q does not fit its room well", got)
	}
	if l.Bars[1].Label != "内部不正" {
		t.Errorf("short label changed to %q", l.Bars[1].Label)
	}
	if l.Bars[0].Full != long+": 1" {
		t.Errorf("tooltip %q", l.Bars[0].Full)
	}
}

// The drawing is an image named by its title and description, with the values as text, and the
// table carries the whole labels and the same numbers; no bars, no drawing.
func TestBarChartFigureRenders(t *testing.T) {
	ctx := i18n.WithLang(context.Background(), i18n.Ja)
	long := "規定違反（無断持出し等）による情報資産の外部への持出し"
	var b strings.Builder
	c := BarChart{ID: "c1", Title: "事象分類別の件数", LabelHead: "事象分類", ValueHead: "件数", Horizontal: true,
		Bars: []ChartBar{{Label: long, Value: 4, Href: "/incidents?category=POLICY_VIOLATION"}, {Label: "内部不正", Value: 0}}}
	if err := BarChartFigure(c).Render(ctx, &b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-title c1-desc"`, `<title id="c1-title">事象分類別の件数</title>`,
		`<desc id="c1-desc">`, `>4</text>`, `>0</text>`, `<caption>事象分類別の件数</caption>`, `<th scope="col">事象分類</th>`,
		`<a href="/incidents?category=POLICY_VIOLATION">` + long + `</a>`, `<td class="num">4</td>`} {
		if !strings.Contains(html, want) {
			t.Errorf("chart lacks %s", want)
		}
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "style=") {
		t.Error("chart uses script or inline style")
	}
	b.Reset()
	if err := BarChartFigure(BarChart{ID: "c2", Title: "空"}).Render(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<svg") || !strings.Contains(b.String(), "表示するデータはありません。") {
		t.Errorf("empty chart: %s", b.String())
	}
}
