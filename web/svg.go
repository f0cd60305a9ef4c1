package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/outbound-oss/outbound/internal/geo"
)

// The charts and the map are SVG drawn here, on the server: no script
// draws them, they show with scripts off, and the same code could draw
// them into a PDF. Text in them is escaped like any template text.
//
// Accessibility shapes them. A chart is a figure whose caption is its
// visible title; its SVG is a group (not an image: an image's children
// are presentational, and its bars are links), each bar a link that says
// what it counts; axis labels are hidden from screen readers, which read
// the bars. A chart's viewBox is about as wide as the chart shows on a
// desk, so that a unit is about a pixel there and its text (13 units) is
// legible; on a phone the chart shrinks with the screen and app.css
// raises the text to stay legible, so labels are spaced for that size.

// Chart text, in chart units: the size on a desk, and the size app.css
// gives it on a phone (see svg.chart text there).
const (
	chartFont      = 13.0
	chartFontPhone = 21.0
)

// bar is one bar of a chart: its label, value, what the value says, where
// it leads, and (for ranked charts) the value written at its end.
type bar struct {
	Label, Tip, Href, Text string
	Value                  float64
}

// chartFigure wraps a chart's SVG in a figure with its visible title; the
// SVG is a group named by that title.
func chartFigure(id, title, svgClass string, w, h float64, body string) template.HTML {
	return template.HTML(fmt.Sprintf(`<figure class="chart"><figcaption id="%s">%s</figcaption>`+
		`<svg class="chart %s" viewBox="0 0 %g %g" role="group" aria-labelledby="%s">%s</svg></figure>`,
		esc(id), esc(title), esc(svgClass), w, h, esc(id), body))
}

// barChart draws bars over time, on a labelled axis; every bar links to
// what it counts and says its value on hover and to screen readers. id
// names its title in the page.
func barChart(id, title string, bars []bar) template.HTML {
	const w, h, left, bottom, top = 560.0, 240.0, 80.0, 34.0, 12.0
	peak := 0.0
	widest := 1
	for _, b := range bars {
		peak = math.Max(peak, b.Value)
		widest = max(widest, len(b.Label))
	}
	scale := niceCeil(peak)
	var s strings.Builder
	s.WriteString(`<g aria-hidden="true">`)
	for i := 0; i <= 2; i++ { // the axis: 0, half and the top
		v := scale * float64(i) / 2
		y := h - bottom - (h-bottom-top)*float64(i)/2
		fmt.Fprintf(&s, `<line class="axis" x1="%g" x2="%g" y1="%.1f" y2="%.1f"/><text x="%g" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`,
			left, w, y, y, left-6, y, esc(formatNum(v)))
	}
	var links strings.Builder
	if n := len(bars); n > 0 {
		step := (w - left) / float64(n)
		// Label every few bars, as many as fit at the phone's text size.
		fit := int((w - left) / (textWidth(widest, chartFontPhone) + 12))
		every := int(math.Ceil(float64(n) / float64(max(1, fit))))
		for i, b := range bars {
			x := left + step*float64(i)
			bh := 0.0
			if scale > 0 {
				bh = (h - bottom - top) * b.Value / scale
			}
			fmt.Fprintf(&links, `<a href="%s" aria-label="%s"><rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect></a>`,
				esc(b.Href), esc(b.Tip), x+step*0.1, h-bottom-bh, step*0.8, math.Max(bh, 0.5), esc(b.Tip))
			if i%every == 0 {
				fmt.Fprintf(&s, `<text x="%.1f" y="%g" text-anchor="middle" dominant-baseline="hanging">%s</text>`, x+step/2, h-bottom+6, esc(b.Label))
			}
		}
	}
	s.WriteString(`</g>`)
	s.WriteString(links.String())
	return chartFigure(id, title, "trend", w, h, s.String())
}

// rankChart draws one horizontal bar a crossing, largest first, each
// labelled with the crossing and its value and leading to its page.
func rankChart(id, title string, bars []bar) template.HTML {
	const w, row, pad = 560.0, 28.0, 6.0
	label, value := 1, 1
	peak := 0.0
	for _, b := range bars {
		label, value = max(label, len(b.Label)), max(value, len(b.Text))
		peak = math.Max(peak, b.Value)
	}
	// Columns wide enough for the phone's text size: labels, bars, values.
	left := textWidth(label, chartFontPhone) + 8
	right := textWidth(value, chartFontPhone) + 8
	span := w - left - right
	if peak <= 0 {
		peak = 1
	}
	h := row*float64(len(bars)) + 2*pad
	var s strings.Builder
	for i, b := range bars {
		y := pad + row*float64(i)
		bw := math.Max(span*b.Value/peak, 0.5)
		// The link's name is its description; the label and the value are
		// drawn beside it for the eye (a link's visible text would have to
		// be its name's words), under a transparent row that takes the
		// click anywhere along the row.
		fmt.Fprintf(&s, `<text aria-hidden="true" x="%g" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`+
			`<text aria-hidden="true" x="%.1f" y="%.1f" dominant-baseline="middle">%s</text>`+
			`<a href="%s" aria-label="%s"><title>%s</title><rect class="hit" x="0" y="%.1f" width="%g" height="%g"/>`+
			`<rect class="bar" x="%g" y="%.1f" width="%.1f" height="%.1f"/></a>`,
			left-8, y+row/2, esc(b.Label), left+bw+6, y+row/2, esc(b.Text),
			esc(b.Href), esc(b.Tip), esc(b.Tip), y, w, row, left, y+row*0.15, bw, row*0.7)
	}
	return chartFigure(id, title, "rank", w, h, s.String())
}

// textWidth is about how wide n characters of chart text are at a size:
// digits and most letters of a sans-serif face are under 0.6 em.
func textWidth(n int, size float64) float64 { return float64(n) * size * 0.6 }

// niceCeil rounds up to 1, 2 or 5 times a power of ten, so that the axis
// reads well.
func niceCeil(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

// mapPoint is a crossing on the map.
type mapPoint struct {
	Code, Tip, Href, Class string
	Lon, Lat               float64
}

// dotSize is a crossing's marker radius in map units: the map is drawn
// 960 units wide and shows about that wide on a desk; app.css doubles the
// markers on a phone.
const dotSize = 7.0

// borderMap draws the states (a static, cached image) and every crossing
// as a marker whose colour and shape say its class, each a link with its
// own description. The map is a group of links, not an image (whose
// children would be presentational).
func borderMap(title, statesURL string, points []mapPoint) template.HTML {
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="map" viewBox="0 0 %d %d" role="group" aria-label="%s">`, geo.Width, geo.Height, esc(title))
	fmt.Fprintf(&s, `<image href="%s" x="0" y="0" width="%d" height="%d" aria-hidden="true"/>`, esc(statesURL), geo.Width, geo.Height)
	for _, p := range points {
		x, y := geo.AlbersUSA(p.Lon, p.Lat)
		fmt.Fprintf(&s, `<a href="%s" aria-label="%s" data-crossing="%s"><title>%s</title>%s</a>`,
			esc(p.Href), esc(p.Tip), esc(p.Code), esc(p.Tip), marker(p.Class, x, y, dotSize))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// marker draws a compliance class in its own shape as well as its own
// colour, so that the map reads without colour: every window met is a
// circle, half or more a triangle, fewer than half a cross, and no window
// in the period a ring.
func marker(class string, x, y, r float64) string {
	var d string
	switch class {
	case "met":
		return fmt.Sprintf(`<circle class="dot met" cx="%.1f" cy="%.1f" r="%g"/>`, x, y, r)
	case "nowindow":
		return fmt.Sprintf(`<circle class="dot nowindow" cx="%.1f" cy="%.1f" r="%g"/>`, x, y, r*0.8)
	case "part":
		d = fmt.Sprintf("M%.1f %.1fL%.1f %.1fL%.1f %.1fZ", x, y-r*1.25, x+r*1.2, y+r*0.85, x-r*1.2, y+r*0.85)
	default: // missed: a cross, each arm about half the marker's radius thick
		a, b := r*1.1, r*0.4
		d = fmt.Sprintf("M%.1f %.1f", x-a+b, y-a)
		for _, p := range [][2]float64{{0, -b}, {a - b, -a}, {a, -a + b}, {b, 0}, {a, a - b}, {a - b, a}, {0, b}, {-a + b, a}, {-a, a - b}, {-b, 0}, {-a, -a + b}} {
			d += fmt.Sprintf("L%.1f %.1f", x+p[0], y+p[1])
		}
		d += "Z"
	}
	return fmt.Sprintf(`<path class="dot %s" d="%s"/>`, esc(class), d)
}

// legendKey draws a class's marker alone, for the map's legend.
func legendKey(class string) template.HTML {
	return template.HTML(`<svg class="key" viewBox="-10 -10 20 20" aria-hidden="true">` + marker(class, 0, 0, dotSize) + `</svg>`)
}

func esc(s string) string { return template.HTMLEscapeString(s) }
