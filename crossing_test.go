package outbound_test

import (
	"testing"

	"github.com/outbound-oss/outbound"
)

func TestPortAndCrossingValidateNameTheField(t *testing.T) {
	lat, lon, far := 27.5, -99.5, 200.0
	port := func(change func(*outbound.Port)) outbound.Port {
		p := outbound.Port{Code: "2304", Name: "Laredo", State: "Texas", Border: outbound.Southwest,
			Latitude: &lat, Longitude: &lon, TimeZone: "America/Chicago"}
		change(&p)
		return p
	}
	for field, p := range map[string]outbound.Port{
		"code":      port(func(p *outbound.Port) { p.Code = "23045" }),
		"name":      port(func(p *outbound.Port) { p.Name = " " }),
		"border":    port(func(p *outbound.Port) { p.Border = "eastern" }),
		"latitude":  port(func(p *outbound.Port) { p.Latitude = nil }),
		"longitude": port(func(p *outbound.Port) { p.Longitude = &far }),
		"time_zone": port(func(p *outbound.Port) { p.TimeZone = "Mars/Olympus" }),
	} {
		if err := p.Validate(); outbound.ErrorField(err) != field {
			t.Errorf("port with bad %s: %v", field, err)
		}
	}
	if p := port(func(*outbound.Port) {}); p.Validate() != nil {
		t.Errorf("a valid port: %v", p.Validate())
	}
	c := outbound.Crossing{Code: "2304-WTB", PortCode: "2304", Name: "World Trade Bridge", Modalities: []outbound.Modality{"ferry"}}
	if err := c.Validate(); outbound.ErrorField(err) != "modalities" {
		t.Errorf("crossing with a bad modality: %v", err)
	}
	c.Modalities, c.Code = nil, "bad code!"
	if err := c.Validate(); outbound.ErrorField(err) != "code" {
		t.Errorf("crossing with a bad code: %v", err)
	}
}
