package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/prometheus/common/model"
)

// Message is the JSON body the webhook posts: Alertmanager's webhook
// payload (version 4), so that a receiver written for Alertmanager takes
// it as it is. One message carries the alerts of one rule that started
// firing or resolved at one evaluation.
type Message struct {
	Version           string            `json:"version"`  // "4"
	GroupKey          string            `json:"groupKey"` // {}:{alertname="..."}
	TruncatedAlerts   int               `json:"truncatedAlerts"`
	Status            string            `json:"status"`   // firing if any alert in it fires, else resolved
	Receiver          string            `json:"receiver"` // "outbound"
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"` // the server's URL, if known
	Alerts            []WireAlert       `json:"alerts"`
}

// WireAlert is one alert in a Message.
type WireAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"` // 0001-01-01T00:00:00Z while firing
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// Messages groups an evaluation's changes into messages, one per rule, in
// the order given.
func Messages(changes []Alert, externalURL string) []Message {
	var out []Message
	index := map[string]int{}
	for _, a := range changes {
		i, ok := index[a.Name()]
		if !ok {
			i = len(out)
			index[a.Name()] = i
			group := map[string]string{model.AlertNameLabel: a.Name()}
			out = append(out, Message{Version: "4", GroupKey: fmt.Sprintf("{}:{alertname=%q}", a.Name()), Status: Resolved,
				Receiver: "outbound", GroupLabels: group, ExternalURL: externalURL})
		}
		m := &out[i]
		if a.Status == Firing {
			m.Status = Firing
		}
		m.Alerts = append(m.Alerts, WireAlert{Status: a.Status, Labels: a.Labels, Annotations: a.Annotations,
			StartsAt: a.StartsAt.UTC(), EndsAt: a.EndsAt.UTC(), GeneratorURL: generatorURL(externalURL), Fingerprint: fingerprint(a.Labels)})
	}
	for i := range out {
		m := &out[i]
		m.CommonLabels, m.CommonAnnotations = common(m.Alerts, func(a WireAlert) map[string]string { return a.Labels }),
			common(m.Alerts, func(a WireAlert) map[string]string { return a.Annotations })
	}
	return out
}

// generatorURL links an alert to the metrics it was evaluated from.
func generatorURL(externalURL string) string {
	if externalURL == "" {
		return ""
	}
	return externalURL + "/metrics"
}

// common returns the pairs every alert's map holds.
func common(alerts []WireAlert, of func(WireAlert) map[string]string) map[string]string {
	out := maps.Clone(of(alerts[0]))
	for _, a := range alerts[1:] {
		maps.DeleteFunc(out, func(k, v string) bool { return of(a)[k] != v })
	}
	return out
}

// Webhook posts messages to a URL, one at a time and in order, from a
// bounded queue: Notify never blocks the evaluation (nor anything else),
// and a receiver that is down costs a bounded number of attempts per
// message, then the message is dropped and logged.
type Webhook struct {
	url    string
	client *http.Client
	log    *slog.Logger
	queue  chan Message
	// ExternalURL, if known, is the server's own URL, which the messages
	// name. Set it before Run.
	ExternalURL string
	// Attempts is how many times a message is posted at most; Backoff is
	// the wait after the first failed attempt, doubled after each.
	Attempts int
	Backoff  time.Duration
}

// MaxQueued bounds the messages waiting to be posted; more are dropped,
// and logged.
const MaxQueued = 256

// NewWebhook checks the URL and returns a webhook that posts to it.
func NewWebhook(rawURL string, log *slog.Logger) (*Webhook, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, outbound.Errorf(outbound.EINVALID, "alert-webhook",
			"--alert-webhook %q is not an http:// or https:// URL with a host, such as https://alerts.example.gov/outbound", rawURL)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Webhook{url: rawURL, client: &http.Client{Timeout: 10 * time.Second},
		log: log.With("webhook", redact(u)), queue: make(chan Message, MaxQueued), Attempts: 5, Backoff: time.Second}, nil
}

// redact is the URL to log: without credentials or query, which may hold
// a secret.
func redact(u *url.URL) string {
	return u.Scheme + "://" + u.Host + u.Path
}

// Notify queues one message per rule for an evaluation's changes, without
// waiting.
func (w *Webhook) Notify(changes []Alert) {
	for _, m := range Messages(changes, w.ExternalURL) {
		select {
		case w.queue <- m:
		default:
			w.log.Error("alerts: the webhook's queue is full; message dropped", "alertname", m.GroupLabels[model.AlertNameLabel],
				"status", m.Status, "alerts", len(m.Alerts))
		}
	}
}

// Run posts queued messages until ctx ends.
func (w *Webhook) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-w.queue:
			w.deliver(ctx, m)
		}
	}
}

// deliver posts one message, trying again after a network error, a 5xx
// or a 429, at most Attempts times.
func (w *Webhook) deliver(ctx context.Context, m Message) {
	body, err := json.Marshal(m)
	if err != nil {
		w.log.Error("alerts: encode message", "err", err)
		return
	}
	wait := w.Backoff
	for attempt := 1; ; attempt++ {
		err := w.post(ctx, body)
		if err == nil {
			return
		}
		var final *finalError
		if errors.As(err, &final) || attempt >= w.Attempts || ctx.Err() != nil {
			w.log.Error("alerts: webhook failed; message dropped", "err", err, "attempts", attempt,
				"alertname", m.GroupLabels[model.AlertNameLabel], "status", m.Status)
			return
		}
		w.log.Warn("alerts: webhook failed; trying again", "err", err, "attempt", attempt, "retry_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// finalError is a failure that trying again would not change.
type finalError struct{ msg string }

func (e *finalError) Error() string { return e.msg }

// post posts body once.
func (w *Webhook) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return &finalError{err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "outbound-alerts")
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return fmt.Errorf("the receiver answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return &finalError{fmt.Sprintf("the receiver answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))}
}
