package web

import (
	"math"
	"strconv"

	"golang.org/x/text/width"
)

// Bar charts drawn on the server as SVG: no script, the numbers written on the chart as text, and
// the same numbers in a table beside it for those who do not see the picture. The geometry is
// computed here in Go so that the template only places what it is given.

// BarChart is one chart: its title, the bars in the order they are drawn, and whether the bars
// run across (long labels such as categories and units) or stand up (months).
type BarChart struct {
	ID         string // unique on the page; prefixes the ids the chart's labels use
	Title      string
	LabelHead  string // the table's column headings
	ValueHead  string
	Bars       []ChartBar
	Horizontal bool
}

// ChartBar is one bar: its label, its value and, when the table may link the label somewhere (the
// list filtered to it), where.
type ChartBar struct {
	Label string
	Value int
	Href  string
}

// Total is the sum of the bars' values.
func (c BarChart) Total() int {
	n := 0
	for _, b := range c.Bars {
		n += b.Value
	}
	return n
}

// barShape is a bar as drawn: its rectangle, its label and its value, each where it goes.
type barShape struct {
	X, Y, W, H     int
	Label          string // shortened to fit; the table carries it whole
	Full           string // the label and value, as the bar's tooltip
	LabelX, LabelY int
	LabelAnchor    string
	Value          string
	ValueX, ValueY int
	ValueAnchor    string
}

// chartLayout is the whole drawing: its size, the axis line the bars stand on and the bars.
type chartLayout struct {
	Width, Height  int
	AxisX1, AxisY1 int
	AxisX2, AxisY2 int
	Bars           []barShape
}

// The drawing's measures, in SVG user units (pixels at full size). fontSize is the labels' size;
// the label widths below assume a full-width character is one em and a half-width one 0.55 em.
const (
	chartWidth    = 640
	chartFontSize = 12
	// Vertical bars.
	vTop, vPlot, vBottom, vSide = 24, 200, 32, 8
	vMaxBar                     = 72
	// Horizontal bars.
	hLabel, hValue, hRow, hBar, hPad = 184, 52, 28, 18, 8
)

// layout computes where every part of the chart goes: bars scaled to the largest value (all
// zero draws empty bars on the axis, a single bar keeps a sensible width), labels shortened to
// the room they have.
func (c BarChart) layout() chartLayout {
	top := 0
	for _, b := range c.Bars {
		top = max(top, b.Value)
	}
	scale := func(v, room int) int {
		if top == 0 || v <= 0 {
			return 0
		}
		// A small value still shows as a sliver rather than vanishing next to a large one.
		return max(2, int(math.Round(float64(v)*float64(room)/float64(top))))
	}
	n := len(c.Bars)
	if c.Horizontal {
		plot := chartWidth - hLabel - hValue - hPad
		l := chartLayout{Width: chartWidth, Height: 2*hPad + n*hRow,
			AxisX1: hLabel, AxisY1: hPad, AxisX2: hLabel, AxisY2: hPad + n*hRow}
		for i, b := range c.Bars {
			rowY := hPad + i*hRow
			w := scale(b.Value, plot)
			l.Bars = append(l.Bars, barShape{
				X: hLabel, Y: rowY + (hRow-hBar)/2, W: w, H: hBar,
				Label: shorten(b.Label, hLabel-2*hPad), Full: b.Label + ": " + strconv.Itoa(b.Value),
				LabelX: hLabel - hPad, LabelY: rowY + hRow/2 + chartFontSize/3, LabelAnchor: "end",
				Value: strconv.Itoa(b.Value), ValueX: hLabel + w + 6, ValueY: rowY + hRow/2 + chartFontSize/3, ValueAnchor: "start",
			})
		}
		return l
	}
	base := vTop + vPlot
	l := chartLayout{Width: chartWidth, Height: base + vBottom, AxisX1: vSide, AxisY1: base, AxisX2: chartWidth - vSide, AxisY2: base}
	if n == 0 {
		return l
	}
	slot := (chartWidth - 2*vSide) / n
	bw := min(vMaxBar, slot*3/5)
	for i, b := range c.Bars {
		h := scale(b.Value, vPlot)
		mid := vSide + i*slot + slot/2
		l.Bars = append(l.Bars, barShape{
			X: mid - bw/2, Y: base - h, W: bw, H: h,
			Label: shorten(b.Label, slot-4), Full: b.Label + ": " + strconv.Itoa(b.Value),
			LabelX: mid, LabelY: base + 18, LabelAnchor: "middle",
			Value: strconv.Itoa(b.Value), ValueX: mid, ValueY: base - h - 6, ValueAnchor: "middle",
		})
	}
	return l
}

// shorten cuts s to what fits in room pixels at the chart's font size, ending it with "…" when
// cut.
func shorten(s string, room int) string {
	if textWidth(s) <= float64(room) {
		return s
	}
	ellipsis := textWidth("…")
	used := 0.0
	for i, r := range s {
		w := runeWidth(r)
		if used+w+ellipsis > float64(room) {
			return s[:i] + "…"
		}
		used += w
	}
	return s
}

// textWidth estimates the drawn width of s in pixels at the chart's font size.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) float64 {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return chartFontSize
	}
	return chartFontSize * 0.55
}

func px(n int) string { return strconv.Itoa(n) }
