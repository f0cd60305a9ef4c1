// Package geo projects longitude and latitude onto the national map: the
// Albers equal-area projection of the United States, as d3.geoAlbersUsa
// draws it with its defaults (a 960 x 500 frame, Alaska as an inset at the
// bottom left), so that the generated state outlines and the crossings
// drawn on them line up.
package geo

import "math"

// Frame is the size of the map the projection draws into.
const Width, Height = 960, 500

// conic is one Albers (conic equal-area) projection, scaled and moved.
type conic struct {
	n, c, r0  float64 // the raw projection's constants
	rot       float64 // added to longitudes, radians
	k, tx, ty float64 // scale and translation
	cx, cy    float64 // the raw projection of the centre
}

func newConic(parallel0, parallel1, rotate, centerLon, centerLat, k, tx, ty float64) conic {
	s0 := math.Sin(rad(parallel0))
	n := (s0 + math.Sin(rad(parallel1))) / 2
	c := conic{n: n, c: 1 + s0*(2*n-s0), rot: rad(rotate), k: k, tx: tx, ty: ty}
	c.r0 = math.Sqrt(c.c) / n
	c.cx, c.cy = c.raw(rad(centerLon), rad(centerLat))
	return c
}

func rad(deg float64) float64 { return deg * math.Pi / 180 }

func (c conic) raw(lambda, phi float64) (float64, float64) {
	r := math.Sqrt(c.c-2*c.n*math.Sin(phi)) / c.n
	x := lambda * c.n
	return r * math.Sin(x), c.r0 - r*math.Cos(x)
}

func (c conic) project(lon, lat float64) (float64, float64) {
	lambda := math.Remainder(rad(lon)+c.rot, 2*math.Pi) // wrapped to [-pi, pi]
	px, py := c.raw(lambda, rad(lat))
	return c.tx + c.k*(px-c.cx), c.ty - c.k*(py-c.cy)
}

// d3.geoAlbersUsa's defaults: scale 1070, translate [480, 250].
var (
	lower48 = newConic(29.5, 45.5, 96, -0.6, 38.7, 1070, 480, 250)
	alaska  = newConic(55, 65, 154, -2, 58.5, 1070*0.35, 480-0.307*1070, 250+0.201*1070)
)

// InAlaska reports whether a point is drawn in the Alaska inset.
func InAlaska(lon, lat float64) bool { return lat > 51 && (lon < -129.9 || lon > 170) }

// AlbersUSA projects a point onto the map, in the frame's pixels.
func AlbersUSA(lon, lat float64) (x, y float64) {
	if InAlaska(lon, lat) {
		return alaska.project(lon, lat)
	}
	return lower48.project(lon, lat)
}
