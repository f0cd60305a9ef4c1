package demo

import (
	"fmt"

	"github.com/outbound-oss/outbound"
)

// National makes a dataset at national scale for benchmarks: about total
// inspections spread over the ports and the period, with the demo's
// distributions of modality, technique, trigger, duration and seizures.
// It calls emit with each crossing-month's inspections, in order.
func National(seed uint64, ports []outbound.Port, from, to outbound.Date, total int64, emit func([]outbound.Inspection) error) error {
	days := Days(Config{From: from, To: to})
	mean := float64(total) / float64(days*len(ports))
	for _, p := range ports {
		pr := profileOf(seed, p)
		var batch []outbound.Inspection
		for d := from; !to.Before(d); d = d.AddDays(1) {
			r := newRand(seed, "national", p.Code, d.String())
			midnight := d.Time(pr.loc)
			op := fmt.Sprintf("ops-%s-%s", p.Code, d.String()[:7])
			for i := range poisson(r, mean) {
				batch = append(batch, pr.inspection(r, midnight, i%17 == 0, op))
			}
			if d.AddDays(1).Day == 1 || d == to {
				if err := emit(batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
		}
	}
	return nil
}
