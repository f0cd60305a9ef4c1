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

// bar is one bar of a chart: its label, value, what the value says and
// where it leads.
type bar struct {
	Label, Tip, Href string
	Value            float64
}

// barChart draws bars over a labelled axis; every bar links to what it
// counts and says its value on hover and to screen readers.
func barChart(title string, bars []bar) template.HTML {
	const w, h, left, bottom, top = 640.0, 220.0, 52.0, 30.0, 10.0
	peak := 0.0
	for _, b := range bars {
		peak = math.Max(peak, b.Value)
	}
	scale := niceCeil(peak)
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart" viewBox="0 0 %g %g" role="img" aria-label="%s">`, w, h, esc(title))
	fmt.Fprintf(&s, `<title>%s</title>`, esc(title))
	for i := 0; i <= 2; i++ { // the axis: 0, half and the top
		v := scale * float64(i) / 2
		y := h - bottom - (h-bottom-top)*float64(i)/2
		fmt.Fprintf(&s, `<line class="axis" x1="%g" x2="%g" y1="%.1f" y2="%.1f"/><text x="%g" y="%.1f" text-anchor="end">%s</text>`,
			left, w, y, y, left-6, y+4, esc(formatNum(v)))
	}
	if n := len(bars); n > 0 {
		step := (w - left) / float64(n)
		every := int(math.Ceil(float64(n) / 8)) // at most 8 labels fit
		for i, b := range bars {
			x := left + step*float64(i)
			bh := 0.0
			if scale > 0 {
				bh = (h - bottom - top) * b.Value / scale
			}
			fmt.Fprintf(&s, `<a href="%s"><rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect></a>`,
				esc(b.Href), x+step*0.1, h-bottom-bh, step*0.8, math.Max(bh, 0.5), esc(b.Tip))
			if i%every == 0 {
				fmt.Fprintf(&s, `<text x="%.1f" y="%g" text-anchor="middle">%s</text>`, x+step/2, h-bottom+16, esc(b.Label))
			}
		}
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

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

// borderMap draws the states (a static, cached image) and every crossing
// as a dot coloured by its class, each a link with its own description.
func borderMap(title, statesURL string, points []mapPoint) template.HTML {
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="map" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`, geo.Width, geo.Height, esc(title), esc(title))
	fmt.Fprintf(&s, `<image href="%s" x="0" y="0" width="%d" height="%d"/>`, esc(statesURL), geo.Width, geo.Height)
	for _, p := range points {
		x, y := geo.AlbersUSA(p.Lon, p.Lat)
		fmt.Fprintf(&s, `<a href="%s" aria-label="%s"><circle class="dot %s" data-crossing="%s" cx="%.1f" cy="%.1f" r="6"><title>%s</title></circle></a>`,
			esc(p.Href), esc(p.Tip), esc(p.Class), esc(p.Code), x, y, esc(p.Tip))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

func esc(s string) string { return template.HTMLEscapeString(s) }
