package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/nodesync"
	"github.com/outbound-oss/outbound/sqldb"
)

// syncer makes a node's syncer with headquarters.
func (m *Main) syncer(ctx context.Context, db *sqldb.DB, upstream, tokenFile string) (*nodesync.Syncer, error) {
	b, err := os.ReadFile(tokenFile)
	if err != nil {
		return nil, usagef("--upstream-token-file: %v", err)
	}
	token := strings.TrimSpace(string(b))
	if !strings.HasPrefix(token, "obt_") {
		return nil, outbound.Errorf(outbound.EINVALID, "upstream-token-file", "%s does not hold a token (obt_...) from outbound node add", tokenFile)
	}
	schema, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	c := client.New(upstream, token)
	c.Schema, c.Version = schema, version()
	return &nodesync.Syncer{DB: db, Upstream: c, Logger: m.logger(), Version: version()}, nil
}

// sync runs one sync round of a node: push what is pending, pull reference data.
func (m *Main) sync(ctx context.Context, args []string) error {
	fs, c := m.flags("sync", false)
	upstream := fs.String("upstream", "", "headquarters' URL")
	tokenFile := fs.String("upstream-token-file", "", "file holding the node's token")
	if err := parse(fs, args, 0, "flags only"); err != nil {
		return err
	}
	if *upstream == "" || *tokenFile == "" {
		return usagef("sync: --upstream and --upstream-token-file are required")
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		s, err := m.syncer(ctx, db, *upstream, *tokenFile)
		if err != nil {
			return err
		}
		var bar *progress
		s.Progress = func(done, total int64) {
			if bar == nil {
				bar = m.progress(total, "pushing records", false)
			}
			bar.Add(int(done) - int(bar.done))
			bar.done = done
		}
		start := time.Now()
		rep, err := s.Round(ctx)
		if bar != nil {
			bar.Finish()
		}
		fmt.Fprintf(m.Stdout, "pushed %d records (%d kept at headquarters as conflicts) in %s; %d still pending; reference data %s\n",
			rep.Pushed, rep.Conflicts, time.Since(start).Round(time.Millisecond), rep.Pending, map[bool]string{true: "updated", false: "unchanged"}[rep.Pulled])
		if rep.SetApart > 0 {
			fmt.Fprintf(m.Stdout, "headquarters refused %d records: set apart here for a supervisor to correct or discard (outbound node list, GET /api/v1/sync)\n", rep.SetApart)
		}
		return err
	})
}

// node manages port nodes at headquarters: add, list.
func (m *Main) node(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("node: expected add or list")
	}
	fs, c := m.flags("node "+args[0], false)
	crossing, staleAfter := new(string), new(time.Duration)
	switch args[0] {
	case "add":
		fs.StringVar(crossing, "crossing", "", "the crossing the node serves")
	case "list":
		fs.DurationVar(staleAfter, "stale-after", 24*time.Hour, "flag nodes without a successful sync for longer")
	}
	if err := parse(fs, args[1:], 0, "flags only"); err != nil {
		return err
	}
	switch args[0] {
	case "add":
		if *crossing == "" {
			return usagef("node add: --crossing is required")
		}
		return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
			name := "node-" + strings.ToLower(*crossing)
			_, err := db.AddUser(ctx, outbound.User{Name: name, Role: outbound.Node, Crossings: []string{*crossing}})
			if err != nil && outbound.ErrorCode(err) != outbound.ECONFLICT {
				return err
			}
			earlier, err := db.FindTokens(ctx, name)
			if err != nil {
				return err
			}
			t, secret, err := db.CreateToken(ctx, name, "port node", nil, outbound.MaxTokenDays*24*time.Hour)
			if err != nil {
				return err
			}
			// A node has one credential: the token issued again replaces
			// the earlier ones (lost, or on a machine replaced), which stop
			// working now rather than whenever they expire.
			var revoked []string
			for _, old := range earlier {
				if old.RevokedAt == nil && old.ExpiresAt.After(m.now()) {
					if err := db.RevokeToken(ctx, old.ID); err != nil {
						return err
					}
					revoked = append(revoked, old.ID)
				}
			}
			fmt.Fprintf(m.Stdout, "node %s for crossing %s; token %s, valid until %s:\n%s\n", name, *crossing, t.ID, t.ExpiresAt.Format(time.DateOnly), secret)
			fmt.Fprintln(m.Stdout, "It is shown only now. Put it in the file the node reads with --upstream-token-file.")
			if len(revoked) > 0 {
				fmt.Fprintf(m.Stdout, "Revoked the node's earlier token %s: the node syncs again once it has the new one.\n", strings.Join(revoked, ", "))
			}
			return nil
		})
	case "list":
		return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
			nodes, err := db.FindNodes(ctx, *staleAfter)
			if err != nil {
				return err
			}
			// At a port node the records headquarters refused are here:
			// they are listed too, so that the command says the same at
			// either end.
			local, err := db.FindSetApart(ctx, false)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NODE\tCROSSING\tLAST SYNC\tLAST SUCCESS\tQUEUE\tSET APART\tVERSION\tPROTOCOL\tSTATUS")
			problems := 0
			for _, n := range nodes {
				status := "ok"
				upgrade, refused := n.Upgrade()
				switch {
				case refused:
					status, problems = upgrade, problems+1
				case n.Stale:
					status, problems = "STALE", problems+1
				case n.SetApartCount > 0:
					status, problems = "SET APART: records headquarters refused wait for a supervisor at the node", problems+1
				case n.LastError != "":
					status = "error: " + n.LastError
				case upgrade != "":
					status = upgrade
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", n.Name, n.Crossing, when(n.LastSyncAt), when(n.LastSuccessAt),
					n.QueueDepth, n.SetApartCount, n.Version, protocolOf(n), status)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			for _, n := range nodes {
				for _, sa := range n.SetApart {
					fmt.Fprintf(m.Stdout, "%s: %s %s set apart %s: %s\n", n.Name, sa.Kind, sa.ID, when(sa.SetApartAt), sa.Reason)
				}
				if more := n.SetApartCount - int64(len(n.SetApart)); more > 0 {
					fmt.Fprintf(m.Stdout, "%s: and %d more set apart (GET /api/v1/sync at the node lists them)\n", n.Name, more)
				}
			}
			for _, sa := range local {
				fmt.Fprintf(m.Stdout, "set apart here: %s %s of crossing %s, %s: %s\n", sa.Kind, sa.ID, sa.Crossing, when(sa.SetApartAt), sa.Reason)
			}
			if problems > 0 || len(local) > 0 {
				return errProblems
			}
			return nil
		})
	default:
		return usagef("node: unknown %q; expected add or list", args[0])
	}
}

func when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Format(time.RFC3339)
}

// protocolOf shows a node's sync protocol, "?" when its last report
// predates protocols being recorded.
func protocolOf(n outbound.NodeStatus) string {
	if n.Protocol == 0 {
		return "?"
	}
	return strconv.Itoa(n.Protocol)
}
