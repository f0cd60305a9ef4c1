package geo_test

import (
	"math"
	"testing"

	"github.com/outbound-oss/outbound/internal/geo"
)

// The reference points were projected by d3-geo 3's geoAlbersUsa() with
// its defaults.
func TestAlbersUSAMatchesD3(t *testing.T) {
	for _, c := range []struct {
		name     string
		lon, lat float64
		x, y     float64
	}{
		{"Laredo", -99.507, 27.499, 430.29552499980673, 459.19965237546666},
		{"Blaine", -122.756, 49.002, 161.10998003663929, 10.801617806567265},
		{"San Francisco", -122.4194, 37.7749, 107.42689983179525, 214.14309852394865},
		{"Alcan (Alaska)", -141.0, 62.61, 197.0419735172153, 434.4095630387446},
		{"Skagway (Alaska)", -135.31, 59.45, 219.36915600209707, 450.2932451391086},
		{"Maine", -67.78, 45.8, 851.0039015926404, 62.44699291316988},
	} {
		x, y := geo.AlbersUSA(c.lon, c.lat)
		if math.Abs(x-c.x) > 1e-6 || math.Abs(y-c.y) > 1e-6 {
			t.Errorf("%s: (%.6f, %.6f); d3 says (%.6f, %.6f)", c.name, x, y, c.x, c.y)
		}
	}
}
