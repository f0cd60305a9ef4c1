// Package client is a Go client of the outbound API, used by port nodes to
// sync with headquarters, and by tests.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// Client calls one outbound server with one token.
type Client struct {
	URL   string // such as https://hq.example
	Token string
	// Schema and Version are sent with every request, with the sync
	// protocol this build speaks (outbound.Protocol), which headquarters
	// checks.
	Schema  int
	Version string
	HTTP    *http.Client
}

// New returns a client of url with token and a 2-minute timeout per request.
func New(url, token string) *Client {
	return &Client{URL: strings.TrimRight(url, "/"), Token: token, HTTP: &http.Client{Timeout: 2 * time.Minute}}
}

// Result is the answer for one item of a batch.
type Result struct {
	ID     *uuid.UUID      `json:"id"`
	Status outbound.Status `json:"status"`
	Error  *outbound.Error `json:"error"`
}

// HTTPError is an answer that was not a success; Err holds the server's
// error when it sent one.
type HTTPError struct {
	Status int
	Err    *outbound.Error
}

func (e *HTTPError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %s", e.Status, http.StatusText(e.Status), e.Err.Message)
	}
	return fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
}

// Unwrap lets errors.As find the server's *outbound.Error.
func (e *HTTPError) Unwrap() error {
	if e.Err == nil {
		return nil
	}
	return e.Err
}

// Retryable reports whether err may go away by itself: a network failure,
// a timeout, a server error or a rate limit. Anything else needs a person.
func Retryable(err error) bool {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status >= 500 || he.Status == http.StatusTooManyRequests
	}
	return err != nil
}

// do sends a JSON request, decodes a JSON answer into out and returns the
// answer's status.
func (c *Client) do(ctx context.Context, method, path string, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL+path, body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set(outbound.HeaderProtocol, strconv.Itoa(outbound.Protocol))
	if c.Schema != 0 {
		req.Header.Set(outbound.HeaderSchema, strconv.Itoa(c.Schema))
	}
	if c.Version != "" {
		req.Header.Set(outbound.HeaderVersion, c.Version)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error *outbound.Error `json:"error"`
		}
		json.Unmarshal(b, &e)
		return resp.StatusCode, &HTTPError{Status: resp.StatusCode, Err: e.Error}
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return resp.StatusCode, nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: the answer is not the JSON expected: %w", method, path, err)
	}
	return resp.StatusCode, nil
}

// The client serves the same record services as the storage, so a node, a
// test or a command can use either. One difference: a batch's answer
// carries each item's status, not the stored record, so RecordResult.Record
// is nil in the client's answers.
var (
	_ outbound.InspectionService = (*Client)(nil)
	_ outbound.StaffingService   = (*Client)(nil)
	_ outbound.ExitService       = (*Client)(nil)
	_ outbound.SurveyService     = (*Client)(nil)
	_ outbound.LaneService       = (*Client)(nil)
	_ outbound.FundingService    = (*Client)(nil)
)

func batch[T any](ctx context.Context, c *Client, path string, items []T) ([]Result, error) {
	var out struct {
		Results []Result `json:"results"`
	}
	if _, err := c.do(ctx, http.MethodPost, path, items, &out); err != nil {
		return nil, err
	}
	if len(out.Results) != len(items) {
		return nil, fmt.Errorf("POST %s: %d results for %d items", path, len(out.Results), len(items))
	}
	return out.Results, nil
}

// Send posts records of one kind as a batch to the kind's collection and
// answers per item, in order.
func (c *Client) Send(ctx context.Context, k outbound.Kind, items []outbound.Record) ([]Result, error) {
	if k.Path == "" {
		return nil, fmt.Errorf("%s cannot be sent: they have no API", k.Plural)
	}
	return batch(ctx, c, k.Path, items)
}

// record posts a batch of one kind and answers as the storage does. A
// batch's answer carries no records, so Record is nil in every result.
func record[T any, P outbound.RecordOf[T]](ctx context.Context, c *Client, items []T) ([]outbound.RecordResult[T], error) {
	res, err := batch(ctx, c, P(new(T)).RecordKind().Path, items)
	if err != nil {
		return nil, err
	}
	out := make([]outbound.RecordResult[T], len(res))
	for i, r := range res {
		out[i] = outbound.RecordResult[T]{ID: P(&items[i]).RecordID(), Status: r.Status, Err: r.Error}
	}
	return out, nil
}

// find reads one page of a kind's list.
func find[T any](ctx context.Context, c *Client, path string, q url.Values) ([]T, string, error) {
	var page struct {
		Items      []T    `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
	_, err := c.do(ctx, http.MethodGet, path+"?"+q.Encode(), nil, &page)
	return page.Items, page.NextCursor, err
}

// query writes a filter as the API reads it.
func query(f outbound.Filter) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"crossing": f.Crossing, "cursor": f.Cursor} {
		if v != "" {
			q.Set(k, v)
		}
	}
	for k, d := range map[string]outbound.Date{"from": f.From, "to": f.To} {
		if !d.IsZero() {
			q.Set(k, d.String())
		}
	}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	return q
}

// RecordInspections posts a batch of inspections.
func (c *Client) RecordInspections(ctx context.Context, items []outbound.Inspection) ([]outbound.RecordResult[outbound.Inspection], error) {
	return record(ctx, c, items)
}

// FindInspections reads one page of current inspections.
func (c *Client) FindInspections(ctx context.Context, f outbound.InspectionFilter) ([]outbound.Inspection, string, error) {
	q := query(f.Filter)
	if f.IncludeVoided {
		q.Set("include_voided", "true")
	}
	if f.Modality != "" {
		q.Set("modality", string(f.Modality))
	}
	if f.Outcome != "" {
		q.Set("outcome", string(f.Outcome))
	}
	return find[outbound.Inspection](ctx, c, outbound.InspectionKind.Path, q)
}

// FindInspection reads one version by its id.
func (c *Client) FindInspection(ctx context.Context, id uuid.UUID) (outbound.Inspection, error) {
	var in outbound.Inspection
	_, err := c.do(ctx, http.MethodGet, outbound.InspectionKind.Path+"/"+id.String(), nil, &in)
	return in, err
}

// InspectionHistory reads every version of the inspection that version id
// belongs to, the first first.
func (c *Client) InspectionHistory(ctx context.Context, id uuid.UUID) ([]outbound.Inspection, error) {
	var out struct {
		Items []outbound.Inspection `json:"items"`
	}
	_, err := c.do(ctx, http.MethodGet, outbound.InspectionKind.Path+"/"+id.String()+"/history", nil, &out)
	return out.Items, err
}

// RecordStaffing posts a batch of staffing records.
func (c *Client) RecordStaffing(ctx context.Context, items []outbound.Staffing) ([]outbound.RecordResult[outbound.Staffing], error) {
	return record(ctx, c, items)
}

// FindStaffing reads one page of staffing records.
func (c *Client) FindStaffing(ctx context.Context, f outbound.Filter) ([]outbound.Staffing, string, error) {
	return find[outbound.Staffing](ctx, c, outbound.StaffingKind.Path, query(f))
}

// RecordExits posts a batch of exit counts.
func (c *Client) RecordExits(ctx context.Context, items []outbound.ExitCount) ([]outbound.RecordResult[outbound.ExitCount], error) {
	return record(ctx, c, items)
}

// FindExits reads one page of exit counts.
func (c *Client) FindExits(ctx context.Context, f outbound.Filter) ([]outbound.ExitCount, string, error) {
	return find[outbound.ExitCount](ctx, c, outbound.ExitKind.Path, query(f))
}

// RecordSurveys posts a batch of surveys.
func (c *Client) RecordSurveys(ctx context.Context, items []outbound.Survey) ([]outbound.RecordResult[outbound.Survey], error) {
	return record(ctx, c, items)
}

// FindSurveys reads one page of surveys.
func (c *Client) FindSurveys(ctx context.Context, f outbound.Filter) ([]outbound.Survey, string, error) {
	return find[outbound.Survey](ctx, c, outbound.SurveyKind.Path, query(f))
}

// LatestSurvey reads the crossing's survey that counts.
func (c *Client) LatestSurvey(ctx context.Context, crossing string) (outbound.Survey, error) {
	var out outbound.Survey
	_, err := c.do(ctx, http.MethodGet, outbound.SurveyKind.Path+"/latest?"+url.Values{"crossing": {crossing}}.Encode(), nil, &out)
	return out, err
}

// RecordLaneDecisions posts a batch of lane decisions a node made.
func (c *Client) RecordLaneDecisions(ctx context.Context, items []outbound.LaneDecision) ([]outbound.RecordResult[outbound.LaneDecision], error) {
	return record(ctx, c, items)
}

// FindLaneDecisions reads one page of lane decisions.
func (c *Client) FindLaneDecisions(ctx context.Context, f outbound.Filter) ([]outbound.LaneDecision, string, error) {
	return find[outbound.LaneDecision](ctx, c, outbound.LaneKind.Path, query(f))
}

// RecordFunding posts a batch of funding entries.
func (c *Client) RecordFunding(ctx context.Context, items []outbound.FundingEntry) ([]outbound.RecordResult[outbound.FundingEntry], error) {
	return record(ctx, c, items)
}

// FindFunding reads one page of funding entries.
func (c *Client) FindFunding(ctx context.Context, f outbound.Filter) ([]outbound.FundingEntry, string, error) {
	return find[outbound.FundingEntry](ctx, c, outbound.FundingKind.Path, query(f))
}

// Reference fetches the calling node's reference data changed after cursor.
func (c *Client) Reference(ctx context.Context, cursor int64) (outbound.Reference, error) {
	var ref outbound.Reference
	_, err := c.do(ctx, http.MethodGet, "/api/v1/sync/reference?cursor="+strconv.FormatInt(cursor, 10), nil, &ref)
	return ref, err
}

// ReportNode sends the calling node's status.
func (c *Client) ReportNode(ctx context.Context, s outbound.NodeStatus) error {
	_, err := c.do(ctx, http.MethodPost, "/api/v1/sync/status", s, nil)
	return err
}

// Nodes lists the nodes headquarters knows.
func (c *Client) Nodes(ctx context.Context) ([]outbound.NodeStatus, error) {
	var out struct {
		Items []outbound.NodeStatus `json:"items"`
	}
	_, err := c.do(ctx, http.MethodGet, "/api/v1/nodes", nil, &out)
	return out.Items, err
}

// Inspections reads every page of current inspections matching the query
// (such as "crossing=2304&include_voided=true").
func (c *Client) Inspections(ctx context.Context, query string) ([]outbound.Inspection, error) {
	return allPages[outbound.Inspection](ctx, c, "/api/v1/inspections", query)
}

// LaneDecisions lists every lane decision matching the query.
func (c *Client) LaneDecisions(ctx context.Context, query string) ([]outbound.LaneDecision, error) {
	return allPages[outbound.LaneDecision](ctx, c, "/api/v1/lane-decisions", query)
}

// Surveys lists every survey matching the query.
func (c *Client) Surveys(ctx context.Context, query string) ([]outbound.Survey, error) {
	return allPages[outbound.Survey](ctx, c, "/api/v1/surveys", query)
}

// DecideLane asks whether one vehicle is inspected; asking again with
// the same id answers the same decision, Replayed.
func (c *Client) DecideLane(ctx context.Context, req outbound.LaneRequest) (outbound.RecordResult[outbound.LaneDecision], error) {
	res := outbound.RecordResult[outbound.LaneDecision]{ID: req.ID, Record: &outbound.LaneDecision{}}
	status, err := c.do(ctx, http.MethodPost, "/api/v1/lanes/decide", req, res.Record)
	if err != nil {
		return outbound.RecordResult[outbound.LaneDecision]{ID: req.ID}, err
	}
	res.Status = outbound.Replayed
	if status == http.StatusCreated {
		res.Status = outbound.Created
	}
	return res, nil
}

// allPages reads every page of a list.
func allPages[T any](ctx context.Context, c *Client, path, query string) ([]T, error) {
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, err
	}
	q.Set("limit", "1000")
	var all []T
	for {
		items, next, err := find[T](ctx, c, path, q)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == "" {
			return all, nil
		}
		q.Set("cursor", next)
	}
}
