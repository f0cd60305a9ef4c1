package sqldb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/gaps"
)

// PublishPlan checks a planning document (a gap standard or a cost
// catalogue; errors name file) and stores it as its kind's next version,
// audited.
func (db *DB) PublishPlan(ctx context.Context, kind, file string, src []byte) (outbound.PlanDocument, error) {
	if err := outbound.Authorize(ctx, outbound.PublishPlanning, ""); err != nil {
		return outbound.PlanDocument{}, err
	}
	doc := outbound.PlanDocument{Kind: kind, Source: string(src), PublishedBy: outbound.ActorFrom(ctx).Name}
	if _, err := parsePlan(kind, file, src); err != nil {
		return doc, err
	}
	err := db.inTx(ctx, func(tx *txn) error {
		doc.PublishedAt = db.Now().UTC().Truncate(time.Microsecond)
		if err := tx.queryRow(ctx, `SELECT coalesce(max(version), 0) + 1 FROM plan_documents WHERE kind = ?`, kind).Scan(&doc.Version); err != nil {
			return fmt.Errorf("next version: %w", err)
		}
		// Two publications at once may pick the same version: the key
		// refuses the second rather than keeping one silently.
		res, err := tx.exec(ctx, `INSERT INTO plan_documents (kind, version, source, published_at, published_by)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, kind, doc.Version, doc.Source, ts(doc.PublishedAt), doc.PublishedBy)
		if ok, err := inserted(res, err); err != nil {
			return err
		} else if !ok {
			return outbound.Errorf(outbound.ECONFLICT, "version", "another %s was published at the same time; publish again", kind)
		}
		return db.appendAudit(ctx, tx, []change{{action: "plan.publish", subject: planSubject(doc), after: planDigest(doc)}})
	})
	return doc, err
}

func planSubject(d outbound.PlanDocument) string { return fmt.Sprintf("plan:%s:%d", d.Kind, d.Version) }

func planDigest(d outbound.PlanDocument) string {
	return outbound.Digest([]string{d.Source, ts(d.PublishedAt), d.PublishedBy})
}

// parsePlan checks a planning document as its kind demands.
func parsePlan(kind, file string, src []byte) (any, error) {
	switch kind {
	case outbound.GapStandard:
		return gaps.Parse(file, bytes.NewReader(src))
	case outbound.CostCatalogue:
		return gaps.ParseCatalogue(file, bytes.NewReader(src))
	}
	return nil, outbound.Errorf(outbound.EINVALID, "kind", "kind %q is not %s", kind, strings.Join(outbound.PlanKinds, " or "))
}

const planColumns = `kind, version, source, published_at, published_by`

func scanPlan(s scanner) (outbound.PlanDocument, string, error) {
	var d outbound.PlanDocument
	err := s.Scan(&d.Kind, &d.Version, &d.Source, dbTime{&d.PublishedAt}, &d.PublishedBy)
	return d, "", err
}

// PlanInForce returns the latest published version of a kind.
func (db *DB) PlanInForce(ctx context.Context, kind string) (outbound.PlanDocument, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return outbound.PlanDocument{}, err
	}
	if !outbound.ValidPlanKind(kind) {
		return outbound.PlanDocument{}, outbound.Errorf(outbound.EINVALID, "kind", "kind %q is not %s", kind, strings.Join(outbound.PlanKinds, " or "))
	}
	d, _, ok, err := findOne(db.sql.QueryRowContext(ctx, db.Rebind(`SELECT `+planColumns+` FROM plan_documents
		WHERE kind = ? ORDER BY version DESC LIMIT 1`), kind), scanPlan)
	if err == nil && !ok {
		err = outbound.Errorf(outbound.ENOTFOUND, "kind", "no %s has been published", kind)
	}
	return d, err
}

// withPublished fills what the plan lacks with the documents in force; a
// kind never published stays nil.
func (db *DB) withPublished(ctx context.Context, p gaps.Plan) (gaps.Plan, error) {
	read := func(kind string) (any, string, error) {
		d, err := db.PlanInForce(ctx, kind)
		if outbound.ErrorCode(err) == outbound.ENOTFOUND {
			return nil, "", nil
		} else if err != nil {
			return nil, "", err
		}
		from := fmt.Sprintf("%s version %d, published %s by %s", strings.ReplaceAll(kind, "_", " "), d.Version, d.PublishedAt.Format("2006-01-02"), d.PublishedBy)
		v, err := parsePlan(kind, from, []byte(d.Source))
		if err != nil {
			return nil, "", fmt.Errorf("stored %s: %w", from, err)
		}
		return v, from, nil
	}
	if p.Standard == nil {
		v, from, err := read(outbound.GapStandard)
		if err != nil {
			return p, err
		}
		if st, ok := v.(gaps.Standard); ok {
			p.Standard, p.StandardFrom = &st, from
		}
	}
	if p.Catalogue == nil {
		v, from, err := read(outbound.CostCatalogue)
		if err != nil {
			return p, err
		}
		if c, ok := v.(gaps.Catalogue); ok {
			p.Catalogue, p.CatalogueFrom = &c, from
		}
	}
	return p, nil
}

// errNoStandard says what a ranking needs.
var errNoStandard = outbound.Errorf(outbound.ENOTFOUND, "standard", "no gap standard: publish one (outbound gaps publish --standard FILE, or PUT /api/v1/planning/gap_standard) or give one")

// GapRanking scores every crossing in the actor's scope against the plan's
// standard (the published one where the plan has none), and prices the
// gaps when there is a catalogue.
func (db *DB) GapRanking(ctx context.Context, p gaps.Plan) ([]gaps.Score, []gaps.CostLine, gaps.Plan, error) {
	p, err := db.withPublished(ctx, p)
	if err != nil {
		return nil, nil, p, err
	}
	if p.Standard == nil {
		return nil, nil, p, errNoStandard
	}
	sites, err := db.GapSites(ctx)
	if err != nil {
		return nil, nil, p, err
	}
	ranking := gaps.Rank(*p.Standard, sites)
	var costs []gaps.CostLine
	if p.Catalogue != nil {
		costs = gaps.Costs(ranking, *p.Catalogue)
	}
	return ranking, costs, p, nil
}

// BudgetRequest computes a fiscal year's request for the crossings in the
// actor's scope; with a standard and a catalogue (given, or published), it
// adds the first-year cost of closing each crossing's gaps, and the
// assumptions say which documents it used.
func (db *DB) BudgetRequest(ctx context.Context, a budget.Assumptions, p gaps.Plan) (budget.Assumptions, []budget.Line, error) {
	a.Days = outbound.FiscalYear(a.FiscalYear).Days()
	sites, err := db.BudgetSites(ctx, a.FiscalYear)
	if err != nil {
		return a, nil, err
	}
	_, costs, p, err := db.GapRanking(ctx, p)
	switch {
	case errors.Is(err, errNoStandard) || err == nil && p.Catalogue == nil:
		a.Equipment = "not counted: no gap standard and cost catalogue"
	case err != nil:
		return a, nil, err
	default:
		a.Equipment = p.StandardFrom + "; " + p.CatalogueFrom
		equipment := map[string]float64{}
		for _, l := range costs {
			equipment[l.Crossing] += l.FirstYear
		}
		for i := range sites {
			sites[i].Equipment = equipment[sites[i].Crossing]
		}
	}
	return a, budget.Request(a, sites), nil
}
