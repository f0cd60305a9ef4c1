package outbound

import (
	"context"
	"iter"
)

// MonthlyVolume is an inbound count at a port for one month and measure, as
// the BTS Border Crossing Entry Data publishes it ("Personal Vehicles",
// "Trucks", ...). It is the baseline for estimating exits.
type MonthlyVolume struct {
	PortCode string `json:"port_code"`
	Month    Date   `json:"month"` // the first day of the month
	Measure  string `json:"measure"`
	Value    int64  `json:"value"`
}

// VolumeRow is one row of a volume source: the port it is about and the count.
type VolumeRow struct {
	Line   int // in the source, for errors
	Port   Port
	Volume MonthlyVolume
}

// ImportStats says what an import did.
type ImportStats struct {
	Rows      int // rows read and stored
	Ports     int // distinct ports seen
	Written   int // volumes new or changed
	Changed   int // of Written, volumes stored before with another value: the later import wins
	Unchanged int // volumes already stored with the same value
}

// VolumeService stores inbound volumes.
type VolumeService interface {
	// ImportVolumes stores every row in one transaction: a row error
	// stops the import and nothing is kept. Re-importing the same rows
	// changes nothing; a row for a volume stored with another value
	// replaces it (the later import wins) and counts as Changed.
	ImportVolumes(ctx context.Context, rows iter.Seq2[VolumeRow, error]) (ImportStats, error)
	// FindVolumes lists a port's volumes for the months from..to, inclusive.
	FindVolumes(ctx context.Context, portCode string, from, to Date) ([]MonthlyVolume, error)
}
