package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/sqldb"
)

// token manages API tokens: create, list, revoke.
func (m *Main) token(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("token: expected create, list or revoke")
	}
	fs, c := m.flags("token "+args[0], false)
	user := new(string)
	if args[0] != "revoke" {
		fs.StringVar(user, "user", "", "the user the token acts as (list: only this user's tokens)")
	}
	nargs, what := 0, "flags only"
	var crossings stringList
	var label *string
	var days *int
	switch args[0] {
	case "create":
		label = fs.String("label", "", "what the token is for, such as the device")
		days = fs.Int("days", 90, fmt.Sprintf("days until it expires (1 to %d)", outbound.MaxTokenDays))
		fs.Var(&crossings, "crossing", "narrow the token to this crossing of the user's scope (repeatable)")
	case "list":
	case "revoke":
		nargs, what = 1, "the token's id (tok_...)"
	default:
		return usagef("token: unknown %q; expected create, list or revoke", args[0])
	}
	if err := parse(fs, args[1:], nargs, what); err != nil {
		return err
	}
	if args[0] == "create" && *user == "" {
		return usagef("token create: --user is required")
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		switch args[0] {
		case "create":
			t, secret, err := db.CreateToken(ctx, *user, *label, crossings, time.Duration(*days)*24*time.Hour)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "token %s for %s, valid until %s:\n%s\n", t.ID, t.User, t.ExpiresAt.Format(time.DateOnly), secret)
			fmt.Fprintln(m.Stdout, "It is shown only now. Send it as: Authorization: Bearer TOKEN")
		case "revoke":
			if err := db.RevokeToken(ctx, fs.Arg(0)); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "token %s revoked\n", fs.Arg(0))
		default:
			ts, err := db.FindTokens(ctx, *user)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tUSER\tLABEL\tCROSSINGS\tEXPIRES\tSTATUS")
			for _, t := range ts {
				status := "active"
				switch {
				case t.RevokedAt != nil:
					status = "revoked " + t.RevokedAt.Format(time.DateOnly)
				case !time.Now().Before(t.ExpiresAt):
					status = "expired"
				}
				scope := strings.Join(t.Crossings, ",")
				if scope == "" {
					scope = "the user's"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.User, t.Label, scope, t.ExpiresAt.Format(time.DateOnly), status)
			}
			return tw.Flush()
		}
		return nil
	})
}
