"""Performance appraisals: templates, cycles, reviews through the reporting line, scoring, results."""
