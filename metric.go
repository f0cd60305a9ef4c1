package outbound

// Metric names a value of a report row: a column such as "inspections",
// or, inside a breakdown, the vocabulary word or group the value is for
// (Metric(Truck) under by_modality). The names are the JSON keys and CSV
// columns of DESIGN section 5, a contract: storage, pages, the writers
// and the Prometheus exporter read them through these constants, so that
// a misspelled name fails to compile instead of showing a blank figure.
type Metric string

// The columns that say whose row it is.
const (
	CrossingKey    Metric = "crossing"     // the crossing's code
	BorderKey      Metric = "border"       // its border
	FieldOfficeKey Metric = "field_office" // its field office (compliance)
	Crossings      Metric = "crossings"    // totals: how many crossings the rows are
)

// Coverage: days with at least one inspection.
const (
	Days                       Metric = "days"
	DaysInspected              Metric = "days_inspected"
	LongestGapDays             Metric = "longest_gap_days"
	CoverageRate               Metric = "coverage_rate"
	DaysInspectedByModality    Metric = "days_inspected_by_modality"
	DaysInspectedByShift       Metric = "days_inspected_by_shift"
	CrossingsInspectedEveryDay Metric = "crossings_inspected_every_day"
)

// Compliance: windows of the policy's minimum frequencies.
const (
	WindowsRequired            Metric = "windows_required"
	WindowsMet                 Metric = "windows_met"
	ComplianceRate             Metric = "compliance_rate"
	CrossingsMetEveryWindow    Metric = "crossings_met_every_window"
	ShareMetEveryWindow        Metric = "share_met_every_window"
	CrossingsInspectingMinDays Metric = "crossings_inspecting_min_days"
	ShareInspectingMinDays     Metric = "share_inspecting_min_days"
	ByBorder                   Metric = "by_border"
	ByFieldOffice              Metric = "by_field_office"
)

// Activity: inspections and their breakdowns.
const (
	Inspections     Metric = "inspections"
	PulseSurgeShare Metric = "pulse_surge_share"
	ByModality      Metric = "by_modality"
	ByTechnique     Metric = "by_technique"
	ByTrigger       Metric = "by_trigger"
	ByOutcome       Metric = "by_outcome"
)

// Seizures, their value and quantities.
const (
	Seizures   Metric = "seizures"
	ValueUSD   Metric = "value_usd"
	ByCategory Metric = "by_category"
	Count      Metric = "count"    // seizures of a category
	Quantity   Metric = "quantity" // a category's quantities with their units, as text
)

// Yield: results per effort.
const (
	OfficerHours              Metric = "officer_hours"
	SeizuresPer100Inspections Metric = "seizures_per_100_inspections"
	ValuePerOfficerHour       Metric = "value_per_officer_hour"
)

// Staffing: officer hours and their cost.
const (
	HoursPlanned      Metric = "hours_planned"
	HoursWorked       Metric = "hours_worked"
	HoursDiverted     Metric = "hours_diverted"
	DiversionRate     Metric = "diversion_rate"
	DivertedByReason  Metric = "diverted_by_reason"
	CostUSD           Metric = "cost_usd"
	CostPerInspection Metric = "cost_per_inspection"
	CostPerSeizure    Metric = "cost_per_seizure"
)

// Exits: inspections against the traffic leaving.
const (
	Exits                   Metric = "exits"
	ExitsSource             Metric = "exits_source"
	InspectionsPer1000Exits Metric = "inspections_per_1000_exits"
)
