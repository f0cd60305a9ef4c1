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
	// Schema and Version are sent with every request: headquarters
	// refuses a node whose schema differs from its own.
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

// do sends a JSON request and decodes a JSON answer into out.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if c.Schema != 0 {
		req.Header.Set(outbound.HeaderSchema, strconv.Itoa(c.Schema))
	}
	if c.Version != "" {
		req.Header.Set(outbound.HeaderVersion, c.Version)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error *outbound.Error `json:"error"`
		}
		json.Unmarshal(b, &e)
		return &HTTPError{Status: resp.StatusCode, Err: e.Error}
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: the answer is not the JSON expected: %w", method, path, err)
	}
	return nil
}

func batch[T any](ctx context.Context, c *Client, path string, items []T) ([]Result, error) {
	var out struct {
		Results []Result `json:"results"`
	}
	if err := c.do(ctx, http.MethodPost, path, items, &out); err != nil {
		return nil, err
	}
	if len(out.Results) != len(items) {
		return nil, fmt.Errorf("POST %s: %d results for %d items", path, len(out.Results), len(items))
	}
	return out.Results, nil
}

// RecordInspections posts a batch of inspections.
func (c *Client) RecordInspections(ctx context.Context, items []outbound.Inspection) ([]Result, error) {
	return batch(ctx, c, "/api/v1/inspections", items)
}

// RecordStaffing posts a batch of staffing records.
func (c *Client) RecordStaffing(ctx context.Context, items []outbound.Staffing) ([]Result, error) {
	return batch(ctx, c, "/api/v1/staffing", items)
}

// RecordExits posts a batch of exit counts.
func (c *Client) RecordExits(ctx context.Context, items []outbound.ExitCount) ([]Result, error) {
	return batch(ctx, c, "/api/v1/exits", items)
}

// RecordSurveys posts a batch of surveys.
func (c *Client) RecordSurveys(ctx context.Context, items []outbound.Survey) ([]Result, error) {
	return batch(ctx, c, "/api/v1/surveys", items)
}

// RecordLaneDecisions posts a batch of lane decisions a node made.
func (c *Client) RecordLaneDecisions(ctx context.Context, items []outbound.LaneDecision) ([]Result, error) {
	return batch(ctx, c, "/api/v1/lane-decisions", items)
}

// Reference fetches the calling node's reference data changed after cursor.
func (c *Client) Reference(ctx context.Context, cursor int64) (outbound.Reference, error) {
	var ref outbound.Reference
	err := c.do(ctx, http.MethodGet, "/api/v1/sync/reference?cursor="+strconv.FormatInt(cursor, 10), nil, &ref)
	return ref, err
}

// ReportNode sends the calling node's status.
func (c *Client) ReportNode(ctx context.Context, s outbound.NodeStatus) error {
	return c.do(ctx, http.MethodPost, "/api/v1/sync/status", s, nil)
}

// Nodes lists the nodes headquarters knows.
func (c *Client) Nodes(ctx context.Context) ([]outbound.NodeStatus, error) {
	var out struct {
		Items []outbound.NodeStatus `json:"items"`
	}
	err := c.do(ctx, http.MethodGet, "/api/v1/nodes", nil, &out)
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

// DecideLane asks whether one vehicle is inspected.
func (c *Client) DecideLane(ctx context.Context, req outbound.LaneRequest) (outbound.LaneDecision, error) {
	var d outbound.LaneDecision
	err := c.do(ctx, http.MethodPost, "/api/v1/lanes/decide", req, &d)
	return d, err
}

// allPages reads every page of a list.
func allPages[T any](ctx context.Context, c *Client, path, query string) ([]T, error) {
	var all []T
	cursor := ""
	for {
		q := query + "&limit=1000"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		var page struct {
			Items      []T    `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if err := c.do(ctx, http.MethodGet, path+"?"+q, nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all, nil
		}
		cursor = page.NextCursor
	}
}
