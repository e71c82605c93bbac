"""Target plans (目标分解): a department's annual KPI targets, split over quarters and months and handed down to sub-departments and positions."""
