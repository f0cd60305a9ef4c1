package main

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/sqldb"
)

// strings collects a repeated flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// user manages accounts: add, list, disable, reset.
func (m *Main) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("user: expected add, list, disable or reset")
	}
	fs, c := m.flags("user "+args[0], false)
	name := new(string)
	if args[0] != "list" {
		fs.StringVar(name, "name", "", "the user's sign-in name")
	}
	var crossings stringList
	var role, badge *string
	switch args[0] {
	case "add":
		role = fs.String("role", "", "one of "+roleList())
		fs.Var(&crossings, "crossing", "a crossing in the user's scope (repeat for several; none for national roles)")
		badge = fs.String("badge", "", "the officer's badge id, which the officer's form records as theirs (optional)")
	case "list", "disable", "reset":
	default:
		return usagef("user: unknown %q; expected add, list, disable or reset", args[0])
	}
	if err := parse(fs, args[1:], 0, "flags only"); err != nil {
		return err
	}
	if args[0] != "list" && *name == "" {
		return usagef("user %s: --name is required", args[0])
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		switch args[0] {
		case "add":
			// Badges are recorded in capitals, as the forms read them.
			password, err := db.AddUser(ctx, outbound.User{Name: *name, Role: outbound.Role(*role), Crossings: crossings,
				Badge: strings.ToUpper(strings.TrimSpace(*badge))})
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "user %s (%s) added.\none-time password: %s\n", *name, *role, password)
			fmt.Fprintln(m.Stdout, "It is shown only now; it must be changed at the first sign-in.")
		case "disable":
			if err := db.DisableUser(ctx, *name); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "user %s disabled: their sessions ended and their tokens no longer work\n", *name)
		case "reset":
			password, err := db.ResetPassword(ctx, *name)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "user %s: password reset, their sessions ended.\none-time password: %s\n", *name, password)
			fmt.Fprintln(m.Stdout, "It is shown only now; it must be changed at the next sign-in.")
		default:
			users, err := db.FindUsers(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tBADGE\tCROSSINGS\tSTATUS")
			for _, u := range users {
				status := "active"
				switch {
				case u.Disabled:
					status = "disabled"
				case u.MustChangePassword:
					status = "must change password"
				}
				scope := strings.Join(u.Crossings, ",")
				if u.Role.National() {
					scope = "all"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, cmp.Or(u.Badge, "-"), scope, status)
			}
			return tw.Flush()
		}
		return nil
	})
}

func roleList() string {
	var rs []string
	for _, r := range outbound.Roles {
		rs = append(rs, string(r))
	}
	return strings.Join(rs, ", ")
}

// withDB opens the database for the length of fn.
func (m *Main) withDB(ctx context.Context, dsn string, fn func(*sqldb.DB) error) error {
	db, err := m.open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}
