package main

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows a bar on stderr when stderr is a terminal; otherwise it
// stays quiet and costs nothing.
type progress struct {
	bar  *progressbar.ProgressBar
	done int64 // for callers that report totals rather than steps
}

func (m *Main) progress(total int64, what string, bytes bool) *progress {
	if !isTerminal(m.Stderr) {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(m.Stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(bytes),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// Add advances the bar by n.
func (p *progress) Add(n int) {
	if p.bar != nil {
		p.bar.Add(n)
	}
}

// Set moves the bar to n done.
func (p *progress) Set(n int64) {
	if p.bar != nil {
		p.bar.Set64(n)
	}
}

// Reader counts what is read from r.
func (p *progress) Reader(r io.Reader) io.Reader {
	if p.bar == nil {
		return r
	}
	rd := progressbar.NewReader(r, p.bar)
	return &rd
}

// Finish clears the bar.
func (p *progress) Finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
