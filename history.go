package outbound

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Historical inspections come from a port's own logs, imported at
// headquarters (docs/import.md). They are inspections like any other,
// validated by the same rules, but may be older than the API allows: a
// crossing's logs may go back decades, and a record typed in later is no
// device clock to distrust.
const (
	// HistoryEarliestYear is the first year an imported inspection may
	// start in: older logs are on paper, if anywhere.
	HistoryEarliestYear = 1990
)

// ImportSource is where an imported inspection came from: the file, its
// content's SHA-256, who imported it and when (the server's clock).
type ImportSource struct {
	ID     uuid.UUID `json:"id"`     // the import run; its inspections share it
	File   string    `json:"file"`   // the file's base name, or the name given
	SHA256 string    `json:"sha256"` // of the file's bytes, hex
	By     string    `json:"by"`     // the importing actor, as the audit log names it
	At     time.Time `json:"at"`
}

// ValidateHistory reports the first problem with an inspection imported
// from a port's log: Validate's rules, with a start from
// HistoryEarliestYear up to now (history is what already happened).
func (in *Inspection) ValidateHistory(now time.Time) error {
	return in.validate(now, HistoryEarliestYear, 0)
}

// Sources of the inspections a report counts.
const (
	SourceAll      = "all"      // recorded and imported
	SourceRecorded = "recorded" // recorded through the API or a port node
	SourceImported = "imported" // imported from a port's own logs
)

// Sources lists the values of a report's source, the default first.
var Sources = []string{SourceAll, SourceRecorded, SourceImported}

// Validate reports what is wrong with a source as an import gives it:
// the file's name (at most 200 characters of text) and its SHA-256.
func (s *ImportSource) Validate() error {
	if err := checkText("source-name", s.File, maxLabel, false); err != nil {
		return err
	}
	if strings.TrimSpace(s.File) == "" {
		return Errorf(EINVALID, "source-name", "the source file's name is required")
	}
	if _, err := hex.DecodeString(s.SHA256); err != nil || len(s.SHA256) != 2*sha256.Size {
		return Errorf(EINVALID, "sha256", "sha256 %q is not a SHA-256 in hex", s.SHA256)
	}
	return nil
}
