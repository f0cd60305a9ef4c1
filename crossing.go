package outbound

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Port is a land port of entry as CBP numbers it: a 4-digit port code with
// a name, a state and a border.
type Port struct {
	Code      string   `json:"code"` // 4 digits, leading zero kept: "0101"
	Name      string   `json:"name"`
	State     string   `json:"state"`
	Border    Border   `json:"border"`
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
	TimeZone  string   `json:"time_zone"` // IANA name
	Source    string   `json:"source"`    // bts, demo or manual
}

// Crossing is the unit of oversight: one place where outbound traffic can be
// inspected. A port has one crossing with the port's code unless more are
// defined (large ports have several bridges).
type Crossing struct {
	Code       string     `json:"code"`
	PortCode   string     `json:"port_code"`
	Name       string     `json:"name"`
	Border     Border     `json:"border"` // the port's
	State      string     `json:"state"`  // the port's
	Latitude   *float64   `json:"latitude"`
	Longitude  *float64   `json:"longitude"`
	TimeZone   string     `json:"time_zone"` // the port's
	Modalities []Modality `json:"modalities"`
	// FieldOffice is the CBP field office the crossing reports to: a scope
	// of local procedures and a level of the reports.
	FieldOffice string `json:"field_office"`
	Source      string `json:"source"` // bts, demo or manual; demo data is never real
}

// Sources of ports and crossings.
const (
	SourceBTS    = "bts"
	SourceDemo   = "demo"
	SourceManual = "manual"
)

// CrossingService stores and finds ports and crossings.
type CrossingService interface {
	// SavePorts inserts or updates ports, each with one crossing of the
	// same code unless the port already has crossings.
	SavePorts(ctx context.Context, ports []Port) error
	// SaveCrossing inserts or updates one crossing of an existing port.
	SaveCrossing(ctx context.Context, c Crossing) error
	// FindCrossings lists every crossing, ordered by code.
	FindCrossings(ctx context.Context) ([]Crossing, error)
	// FindCrossing returns one crossing or ENOTFOUND.
	FindCrossing(ctx context.Context, code string) (Crossing, error)
}

// Location returns the crossing's time zone; UTC if it has none that loads.
func (c *Crossing) Location() *time.Location {
	return ZoneOrUTC(c.TimeZone)
}

// CodePattern is the form of a crossing code (and of an operation id that
// is not a UUID). Like BadgePattern it is written so that Go and
// JavaScript read it alike: the officer's form checks with it too.
const CodePattern = `^[0-9A-Za-z][0-9A-Za-z-]{0,15}$`

var codePattern = regexp.MustCompile(CodePattern)

// Validate reports the first problem with the port, naming the field.
func (p *Port) Validate() error {
	if _, err := NormalizePortCode(p.Code); err != nil {
		return Errorf(EINVALID, "code", "%s", ErrorMessage(err))
	}
	if strings.TrimSpace(p.Name) == "" {
		return Errorf(EINVALID, "name", "name is required")
	}
	if !p.Border.Valid() {
		return Errorf(EINVALID, "border", "border %s is not %s", Shown(p.Border), oneOf(Borders))
	}
	if err := validateCoordinates(p.Latitude, p.Longitude); err != nil {
		return err
	}
	if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "" {
		return Errorf(EINVALID, "time_zone", "time zone %s is not an IANA time zone name", Shown(p.TimeZone))
	}
	return nil
}

// Validate reports the first problem with the crossing, naming the field.
func (c *Crossing) Validate() error {
	if !codePattern.MatchString(c.Code) {
		return Errorf(EINVALID, "code", "crossing code %s must be 1 to 16 letters, digits or dashes", Shown(c.Code))
	}
	if _, err := NormalizePortCode(c.PortCode); err != nil {
		return Errorf(EINVALID, "port_code", "%s", ErrorMessage(err))
	}
	if strings.TrimSpace(c.Name) == "" {
		return Errorf(EINVALID, "name", "name is required")
	}
	for _, m := range c.Modalities {
		if !m.Valid() {
			return Errorf(EINVALID, "modalities", "modality %s is not %s", Shown(m), oneOf(Modalities))
		}
	}
	return validateCoordinates(c.Latitude, c.Longitude)
}

func validateCoordinates(lat, lon *float64) error {
	if (lat == nil) != (lon == nil) {
		return Errorf(EINVALID, "latitude", "latitude and longitude come together or not at all")
	}
	if lat != nil && (*lat < -90 || *lat > 90) {
		return Errorf(EINVALID, "latitude", "latitude %v is outside -90..90", *lat)
	}
	if lon != nil && (*lon < -180 || *lon > 180) {
		return Errorf(EINVALID, "longitude", "longitude %v is outside -180..180", *lon)
	}
	return nil
}

// NormalizePortCode returns a CBP port code as 4 digits: "708" and "0708"
// are the same port (BTS data has both since May 2022).
func NormalizePortCode(s string) (string, error) {
	s = strings.TrimSpace(s)
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 9999 || len(s) > 4 {
		return "", Errorf(EINVALID, "", "port code %s is not 1 to 4 digits", Shown(s))
	}
	return strconv.Itoa(10000 + n)[1:], nil
}

// stateZones is the time zone of each border state's ports; where a state
// spans two zones, the exceptions below name the ports on the other side.
var stateZones = map[string]string{
	"Alaska": "America/Anchorage", "Arizona": "America/Phoenix", "California": "America/Los_Angeles",
	"Idaho": "America/Los_Angeles", "Maine": "America/New_York", "Michigan": "America/Detroit",
	"Minnesota": "America/Chicago", "Montana": "America/Denver", "New Hampshire": "America/New_York",
	"New Mexico": "America/Denver", "New York": "America/New_York", "North Dakota": "America/Chicago",
	"Ohio": "America/New_York", "Texas": "America/Chicago", "Vermont": "America/New_York",
	"Washington": "America/Los_Angeles", "Massachusetts": "America/New_York",
	"Pennsylvania": "America/New_York",
}

// portZones are ports in a different zone from most of their state: the El
// Paso area keeps Mountain time.
var portZones = map[string]string{
	"2402": "America/Denver", // El Paso
	"2404": "America/Denver", // Fabens
	"2411": "America/Denver", // Tornillo
}

// stateOffices is the field office of each border state's ports, an
// approximation of CBP's organisation good enough for grouping; a
// crossing's field office can be set by hand.
var stateOffices = map[string]string{
	"California": "San Diego", "Arizona": "Tucson", "New Mexico": "El Paso", "Texas": "Laredo",
	"Washington": "Seattle", "Idaho": "Seattle", "Montana": "Seattle", "Alaska": "Seattle",
	"North Dakota": "Detroit", "Minnesota": "Detroit", "Michigan": "Detroit", "Ohio": "Detroit",
	"New York": "Buffalo", "Vermont": "Boston", "New Hampshire": "Boston", "Maine": "Boston",
	"Massachusetts": "Boston", "Pennsylvania": "Buffalo",
}

// FieldOfficeFor returns the field office of a port from its code and state.
func FieldOfficeFor(portCode, state string) string {
	switch portCode {
	case "2402", "2403", "2404", "2411": // El Paso, Presidio, Fabens, Tornillo
		return "El Paso"
	}
	return stateOffices[state]
}

// TimeZoneFor returns the IANA time zone of a port from its code and state;
// "" when the state is not a border state.
func TimeZoneFor(portCode, state string) string {
	if z, ok := portZones[portCode]; ok {
		return z
	}
	return stateZones[state]
}

// ZoneOrUTC is Zone, or UTC for a name that is empty or unknown.
func ZoneOrUTC(name string) *time.Location {
	if loc, err := Zone(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}

// Zone loads a time zone once: time.LoadLocation parses the zone database
// on every call, and reports ask for a crossing's zone for every record.
func Zone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

var zones sync.Map // name -> *time.Location
