package schedule

import (
	"crypto/rand"
	"encoding/binary"
	mrand "math/rand/v2"
)

// Sample draws one schedule: covered[i] says whether cell i is covered.
// Each cell is covered with probability Coverage[i], and every group
// covers the floor or the ceiling of its expected count, so every minimum
// and maximum holds in every draw.
//
// It is systematic (comb) sampling: the cells are laid end to end, each
// as long as its coverage, in an order where every group's cells are
// contiguous (a walk of the laminar tree, its branches shuffled afresh for
// each draw); a comb with teeth one apart and a random offset covers the
// cells its teeth fall in. An interval of length L holds the floor or the
// ceiling of L teeth.
func (s *Solution) Sample(r *mrand.Rand) []bool {
	if s.circ != nil {
		return s.sampleTwo(r)
	}
	covered := make([]bool, len(s.q))
	if len(s.nodes) == 0 {
		return covered
	}
	offset := r.Int64N(unit)
	var pos int64 // where the next cell starts
	var walk func(n int)
	walk = func(n int) {
		nd := &s.nodes[n]
		// Cells are items 0..len(cells)-1, children the rest.
		order := r.Perm(len(nd.cells) + len(nd.children))
		for _, k := range order {
			if k >= len(nd.cells) {
				walk(nd.children[k-len(nd.cells)])
				continue
			}
			c := nd.cells[k]
			end := pos + s.q[c]
			// The first tooth at or after pos.
			tooth := offset
			if pos > offset {
				tooth += (pos - offset + unit - 1) / unit * unit
			}
			covered[c] = tooth < end
			pos = end
		}
	}
	walk(0)
	return covered
}

// CryptoRand returns a generator that draws from crypto/rand: real
// schedules must not be predictable from a seed.
func CryptoRand() *mrand.Rand { return mrand.New(cryptoSource{}) }

type cryptoSource struct{}

func (cryptoSource) Uint64() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand.Read does not fail on supported platforms
	}
	return binary.LittleEndian.Uint64(b[:])
}
