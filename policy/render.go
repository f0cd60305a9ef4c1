package policy

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Render writes a report for a person: one line per finding, then the
// harmonisation table when there is one.
func Render(w io.Writer, rep Report) error {
	for _, f := range rep.Findings {
		if _, err := fmt.Fprintln(w, f); err != nil {
			return err
		}
	}
	if len(rep.Harmonisation) > 0 {
		fmt.Fprintln(w, "\nharmonisation: the same scope required differently at different crossings")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SCOPE\tCONSTRAINT\tCROSSINGS\tREQUIRES\tREASON\tRULE")
		for _, h := range rep.Harmonisation {
			reason := h.Reason
			if reason == "" {
				reason = "(none given)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", h.Scope, h.Constraint, h.Crossings, h.Value, reason, h.Rule)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%d findings\n", len(rep.Findings))
	return err
}
