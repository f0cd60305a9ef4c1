package bts_test

import (
	"testing"

	"github.com/outbound-oss/outbound/internal/testdb"
)

// TestMain names what was missing when tests were skipped for want of it.
func TestMain(m *testing.M) { testdb.Main(m) }
