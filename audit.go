package outbound

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditEntry is one write in the audit log. Entries form a hash chain: each
// entry's Hash covers its fields and the previous entry's Hash, so changing
// or removing any entry breaks every link after it.
type AuditEntry struct {
	Seq      int64     `json:"seq"` // 1, 2, 3, ... with no gaps
	At       time.Time `json:"at"`  // server clock
	Actor    string    `json:"actor"`
	Role     string    `json:"role"`    // the actor's role, or "system" for the command line
	Action   string    `json:"action"`  // such as inspection.create, user.disable
	Subject  string    `json:"subject"` // what was written, such as inspection:<id>, user:<name>
	Crossing string    `json:"crossing"`
	Before   string    `json:"before"`    // Digest of the subject before; "" when new
	After    string    `json:"after"`     // Digest after
	PrevHash string    `json:"prev_hash"` // the Hash of the entry before; not stored, it is that row's
	Hash     string    `json:"hash"`
}

// ChainHash computes the entry's hash from its fields and PrevHash.
func (e *AuditEntry) ChainHash() string {
	return fieldHash(e.PrevHash, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano),
		e.Actor, e.Role, e.Action, e.Subject, e.Crossing, e.Before, e.After)
}

// RecordDigest is what the audit log keeps of a stored record: the hash of
// what the client sent and the fields the server set. It is as strong as
// a digest of the whole record, and costs no second encoding of it.
func RecordDigest(contentHash string, serverFields ...string) string {
	return fieldHash(append([]string{contentHash}, serverFields...)...)
}

// fieldHash hashes fields length-prefixed, so that no two lists of fields
// hash alike.
func fieldHash(fields ...string) string {
	h := sha256.New()
	var buf []byte
	for _, f := range fields {
		buf = strconv.AppendInt(buf[:0], int64(len(f)), 10)
		buf = append(buf, ':')
		buf = append(buf, f...)
		buf = append(buf, '\n')
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Checkpoint is the chain's head at one moment, signed by headquarters'
// key. An auditor who keeps copies can later prove that history up to each
// checkpoint was not rewritten: a rewrite changes the hash at Seq, and
// nobody without the key can sign a new checkpoint.
type Checkpoint struct {
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"` // of the entry at Seq
	At        time.Time `json:"at"`
	PublicKey string    `json:"public_key"` // hex ed25519
	Signature string    `json:"signature"`  // hex, over Message
}

// Message is what a checkpoint's signature covers.
func (c *Checkpoint) Message() []byte {
	return []byte(fmt.Sprintf("outbound audit checkpoint\nseq %d\nhash %s\nat %s\n", c.Seq, c.Hash, c.At.UTC().Format(time.RFC3339Nano)))
}

// Sign fills PublicKey and Signature.
func (c *Checkpoint) Sign(key ed25519.PrivateKey) {
	c.PublicKey = hex.EncodeToString(key.Public().(ed25519.PublicKey))
	c.Signature = hex.EncodeToString(ed25519.Sign(key, c.Message()))
}

// VerifySignature reports whether the checkpoint was signed by pub.
func (c *Checkpoint) VerifySignature(pub ed25519.PublicKey) bool {
	sig, err := hex.DecodeString(c.Signature)
	return err == nil && len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, c.Message(), sig)
}

// AuditReport is what verifying the audit log found.
type AuditReport struct {
	Entries     int64 `json:"entries"`
	Checkpoints int   `json:"checkpoints"`
	Records     int   `json:"records"` // records compared with their last entry
	// RollupCells counts the report rollups' cells (daily and monthly)
	// compared with a recomputation from the inspections.
	RollupCells int64 `json:"rollup_cells"`
	// RollupSample is how many crossing-months were recomputed when only
	// a sample was asked for; 0 when every one was.
	RollupSample int      `json:"rollup_sample,omitempty"`
	FirstBroken  int64    `json:"first_broken"` // seq of the first broken link; 0 if none
	Problems     []string `json:"problems"`     // the first problems found, in order
}

// OK reports whether verification found nothing wrong.
func (r *AuditReport) OK() bool { return len(r.Problems) == 0 }

// AuditService keeps and checks the audit log.
type AuditService interface {
	// FindCheckpoints lists the signed checkpoints, oldest first.
	FindCheckpoints(ctx context.Context) ([]Checkpoint, error)
	// SignCheckpoint signs the chain's head with key, unless the last
	// checkpoint already covers it; it reports whether it signed.
	SignCheckpoint(ctx context.Context, key ed25519.PrivateKey) (Checkpoint, bool, error)
	// VerifyAudit recomputes the chain, checks every checkpoint (stored,
	// and the copies an auditor kept) against pub, compares every
	// record and published document with its last audit entry, and
	// recomputes the report rollups from the inspections.
	VerifyAudit(ctx context.Context, pub ed25519.PublicKey, kept []Checkpoint) (AuditReport, error)
}

// ParsePublicKey reads a hex ed25519 public key.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, Errorf(EINVALID, "public_key", "the public key must be %d bytes in hex", ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}
