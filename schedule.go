package outbound

import (
	"context"
	"time"
)

// PublishedSchedule is a drawn schedule as published for one crossing:
// the shifts that have an outbound operation. A later publication for
// the same days replaces it.
type PublishedSchedule struct {
	ID            string           `json:"id"` // the publication, shared by its crossings
	Crossing      string           `json:"crossing"`
	From          Date             `json:"from"`
	To            Date             `json:"to"`
	Operations    []ScheduledShift `json:"operations"`
	AttackerValue float64          `json:"attacker_value"` // the plan's value: the most a smuggler can expect anywhere, in weighted exits (schedule.Unit)
	PublishedAt   time.Time        `json:"published_at"`
	PublishedBy   string           `json:"published_by"`
}

// ScheduledShift is one shift with an outbound operation.
type ScheduledShift struct {
	Day   Date  `json:"day"`
	Shift Shift `json:"shift"`
}

// ScheduleRequest asks for a schedule over local days From..To at the
// given crossings (none: every crossing in scope), with at most Budget
// covered shifts (0: what the minimums need plus a quarter of the rest).
type ScheduleRequest struct {
	From      Date     `json:"from"`
	To        Date     `json:"to"`
	Crossings []string `json:"crossings,omitempty"`
	Budget    int      `json:"budget,omitempty"`
	// FieldOfficeBudgets caps the covered shifts of a field office.
	FieldOfficeBudgets map[string]int `json:"field_office_budgets,omitempty"`
	// Weights are intelligence weights per crossing (default 1): a
	// crossing's shifts are worth that much more to a smuggler.
	Weights map[string]float64 `json:"weights,omitempty"`
	// DailyPool caps the covered shifts of each day across all the
	// crossings planned (0: none).
	DailyPool int `json:"daily_pool,omitempty"`
	// ExitsPerDay and SeizureRates replace what the exits and seizures
	// reports say of a crossing (exits a day; seizure USD per 1,000 exits).
	ExitsPerDay  map[string]float64 `json:"exits_per_day,omitempty"`
	SeizureRates map[string]float64 `json:"seizure_rates,omitempty"`
}

// ScheduleService publishes schedules and finds them.
type ScheduleService interface {
	// PublishSchedule draws a schedule from crypto/rand and publishes it,
	// one record per crossing.
	PublishSchedule(ctx context.Context, req ScheduleRequest) ([]PublishedSchedule, error)
	// FindSchedules returns, for each crossing in scope (or the one
	// given), the latest publication that covers any day of from..to.
	FindSchedules(ctx context.Context, crossing string, from, to Date) ([]PublishedSchedule, error)
}
