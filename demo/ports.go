package demo

import (
	_ "embed"
	"fmt"
	"math/rand/v2"

	"github.com/outbound-oss/outbound"
)

// Policy is the demo's national policy (YAML).
//
//go:embed policy.yaml
var Policy []byte

// place is a real point on a border that synthetic crossings are put near.
type place struct {
	name, state, zone string
	lat, lon          float64
}

// The border, west to east, through real crossing towns.
var (
	southwest = []place{
		{"San Ysidro, CA", "California", "America/Los_Angeles", 32.542, -117.029},
		{"Calexico, CA", "California", "America/Los_Angeles", 32.665, -115.499},
		{"San Luis, AZ", "Arizona", "America/Phoenix", 32.487, -114.782},
		{"Lukeville, AZ", "Arizona", "America/Phoenix", 31.880, -112.817},
		{"Nogales, AZ", "Arizona", "America/Phoenix", 31.333, -110.943},
		{"Douglas, AZ", "Arizona", "America/Phoenix", 31.334, -109.560},
		{"Columbus, NM", "New Mexico", "America/Denver", 31.784, -107.628},
		{"El Paso, TX", "Texas", "America/Denver", 31.759, -106.452},
		{"Presidio, TX", "Texas", "America/Chicago", 29.561, -104.371},
		{"Del Rio, TX", "Texas", "America/Chicago", 29.326, -100.928},
		{"Eagle Pass, TX", "Texas", "America/Chicago", 28.709, -100.500},
		{"Laredo, TX", "Texas", "America/Chicago", 27.500, -99.507},
		{"Roma, TX", "Texas", "America/Chicago", 26.404, -99.019},
		{"Hidalgo, TX", "Texas", "America/Chicago", 26.095, -98.269},
		{"Brownsville, TX", "Texas", "America/Chicago", 25.902, -97.496},
	}
	northern = []place{
		{"Blaine, WA", "Washington", "America/Los_Angeles", 49.002, -122.757},
		{"Sumas, WA", "Washington", "America/Los_Angeles", 49.002, -122.265},
		{"Oroville, WA", "Washington", "America/Los_Angeles", 49.000, -119.462},
		{"Eastport, ID", "Idaho", "America/Los_Angeles", 48.999, -116.180},
		{"Sweetgrass, MT", "Montana", "America/Denver", 48.998, -111.960},
		{"Portal, ND", "North Dakota", "America/Chicago", 48.998, -102.549},
		{"Pembina, ND", "North Dakota", "America/Chicago", 48.999, -97.239},
		{"International Falls, MN", "Minnesota", "America/Chicago", 48.607, -93.401},
		{"Sault Ste. Marie, MI", "Michigan", "America/Detroit", 46.506, -84.361},
		{"Port Huron, MI", "Michigan", "America/Detroit", 42.999, -82.423},
		{"Detroit, MI", "Michigan", "America/Detroit", 42.311, -83.074},
		{"Buffalo, NY", "New York", "America/New_York", 42.907, -78.905},
		{"Champlain, NY", "New York", "America/New_York", 45.006, -73.452},
		{"Derby Line, VT", "Vermont", "America/New_York", 45.005, -72.099},
		{"Houlton, ME", "Maine", "America/New_York", 46.140, -67.781},
	}
)

// Ports makes synthetic ports along both borders: nSouthwest with codes
// 9101..., nNorthern with codes 9201...; codes no real land port uses. Their
// names start with "DEMO" and their source is demo.
func Ports(seed uint64, nSouthwest, nNorthern int) []outbound.Port {
	r := newRand(seed, "ports")
	var ports []outbound.Port
	for i := range nSouthwest {
		ports = append(ports, synthetic(r, outbound.Southwest, 9101+i, i, nSouthwest, southwest))
	}
	for i := range nNorthern {
		ports = append(ports, synthetic(r, outbound.Northern, 9201+i, i, nNorthern, northern))
	}
	return ports
}

func synthetic(r *rand.Rand, b outbound.Border, code, i, n int, line []place) outbound.Port {
	// Spread the crossings along the line, a little off each town.
	at := line[i*len(line)/n]
	lat := at.lat + (r.Float64()-0.5)*0.2
	lon := at.lon + (r.Float64()-0.5)*0.6
	if b == outbound.Northern && at.lat > 48.9 {
		lat = 48.99 + r.Float64()*0.01 // the 49th parallel
	}
	prefix := "SW"
	if b == outbound.Northern {
		prefix = "N"
	}
	return outbound.Port{
		Code: fmt.Sprint(code), Name: fmt.Sprintf("DEMO %s-%02d near %s", prefix, i+1, at.name),
		State: at.state, Border: b, Latitude: &lat, Longitude: &lon, TimeZone: at.zone, Source: outbound.SourceDemo,
	}
}
