package main

import (
	"context"
	"crypto/ed25519"
	"flag"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/alert"
	"github.com/outbound-oss/outbound/sqldb"
	"github.com/outbound-oss/outbound/web"
)

// alerting holds serve's flags for hearing when something goes wrong:
// the audit log verified on a timer, and the alert rules posted to a
// webhook (docs/operations.md#alerts).
type alerting struct {
	webhook      string
	every        time.Duration
	verifyEvery  time.Duration
	verifySample int
	verifyKeys   string // more public keys that signed checkpoints, comma-separated hex
	keys         []ed25519.PublicKey
}

// alertFlags declares the flags on fs.
func alertFlags(fs *flag.FlagSet) *alerting {
	a := &alerting{}
	fs.StringVar(&a.webhook, "alert-webhook", "", "post alerts to this URL as they fire and resolve, in Alertmanager's webhook format (the rules of deploy/prometheus/alerts.yml)")
	fs.DurationVar(&a.every, "alert-every", time.Minute, "how often to evaluate the alert rules, with --alert-webhook")
	fs.DurationVar(&a.verifyEvery, "verify-every", 24*time.Hour, "verify the audit log at start and then this often, for /metrics and the alerts (0: never)")
	fs.IntVar(&a.verifySample, "verify-sample", 100, "crossing-months of report rollups each of those verifies recomputes (0: every one)")
	fs.StringVar(&a.verifyKeys, "verify-public-key", "", "public keys (hex, comma-separated) that signed earlier checkpoints, after a key rotation; those verifies accept them beside --audit-key's")
	return a
}

// check refuses bad values, and returns the webhook to post to, if any.
func (a *alerting) check(log *slog.Logger) (*alert.Webhook, error) {
	switch {
	case a.every < 100*time.Millisecond:
		return nil, usagef("serve: --alert-every must be at least 100ms")
	case a.verifyEvery != 0 && a.verifyEvery < time.Minute:
		return nil, usagef("serve: --verify-every must be 0 (never) or at least 1m")
	case a.verifySample < 0:
		return nil, usagef("serve: --verify-sample must be 0 (every crossing-month) or more")
	}
	if a.verifyKeys != "" {
		keys, err := parsePublicKeys(a.verifyKeys)
		if err != nil {
			return nil, usagef("serve: --verify-public-key: %s", outbound.ErrorMessage(err))
		}
		a.keys = keys
	}
	if a.webhook == "" {
		return nil, nil
	}
	hook, err := alert.NewWebhook(a.webhook, log)
	if err != nil {
		return nil, usagef("serve: %s", outbound.ErrorMessage(err))
	}
	return hook, nil
}

// evaluateAlerts evaluates the alert rules over s's metrics every period
// and posts what changes to hook, until ctx ends; without a hook, it does
// nothing. Each alert carries the server's instance (host and port), as
// Prometheus labels what it scrapes.
func (m *Main) evaluateAlerts(ctx context.Context, timers *sync.WaitGroup, s *web.Server, base string, hook *alert.Webhook, every time.Duration) {
	if hook == nil {
		return
	}
	instance := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	if host, err := os.Hostname(); err == nil {
		if _, port, err := net.SplitHostPort(instance); err == nil {
			instance = net.JoinHostPort(host, port)
		}
	}
	hook.ExternalURL = base
	e := &alert.Evaluator{ExternalLabels: map[string]string{"instance": instance}}
	timers.Go(func() { hook.Run(ctx) })
	timers.Go(func() { e.Run(ctx, s.Gatherer(), every, m.now, hook.Notify, m.logger()) })
}

// watchAudit verifies db's audit log now and then every period until ctx
// ends, recomputing sample crossing-months of rollups (0: all) and
// checking checkpoints' signatures against keys (none: not checked), and
// tells health how each verify went. A verify reads while the server writes, so
// a write that lands during the check can show as a problem once: when a
// verify finds problems, a second one runs at once over the same sample,
// and only the problems both found count.
func (m *Main) watchAudit(ctx context.Context, db *sqldb.DB, keys []ed25519.PublicKey, sample int, every time.Duration, health *web.AuditHealth) {
	log := m.logger()
	for {
		seed1, seed2 := rand.Uint64(), rand.Uint64()
		verify := func() (outbound.AuditReport, error) {
			return db.Verify(ctx, keys, nil, sqldb.RollupCheck{Sample: sample, Rand: rand.New(rand.NewPCG(seed1, seed2))})
		}
		rep, err := verify()
		var problems []string
		if err == nil && !rep.OK() {
			var again outbound.AuditReport
			if again, err = verify(); err == nil {
				for _, p := range rep.Problems {
					if slices.Contains(again.Problems, p) {
						problems = append(problems, p)
					}
				}
			}
		}
		if ctx.Err() != nil {
			return
		}
		health.Verified(m.now(), len(problems), err)
		switch {
		case err != nil:
			log.Error("audit verify could not run", "err", err)
		case len(problems) > 0:
			for _, p := range problems[:min(len(problems), 10)] {
				log.Error("audit verify: problem", "problem", p)
			}
			log.Error("audit verify found problems; run outbound audit verify for all of them", "problems", len(problems))
		default:
			log.Info("audit verify: ok", "entries", rep.Entries, "records", rep.Records, "rollup_cells", rep.RollupCells)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
