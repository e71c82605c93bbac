"""The appraisals' operations. Services flush; the caller commits once. Everything that was
``app.appraisals.services`` is still available from here; each module holds one subject:

- templates: appraisal templates, their settings, validation and translated labels (``templates``);
- cycles: creating, editing and closing a cycle (``cycles``), its launch (``launch``), the periods
  it covers (``periods``) and the reviews left out of it (``exclusions``);
- reviews: the steps of a review (``flow``), who reviews (``reviewers``), bulk actions (``bulk``);
- scores: the formulas (``scoring``) and recomputing stored scores (``recompute``), KPI actuals
  read from spreadsheets (``kpi_actuals``);
- results: the cycle's results, exports and printed documents (``results``).
"""

from __future__ import annotations

from app.appraisals.services.cycles import (
    CycleData,
    close_cycle,
    create_cycle,
    delete_cycle,
    get_cycle,
    list_cycles,
    targets_period,
    update_cycle,
)
from app.appraisals.services.periods import period_end
from app.appraisals.services.reviews import (
    NOTE_LABELS,
    compute,
    get_review,
    in_department,
    is_overdue,
    list_reviews,
    note_texts,
    overdue_condition,
    score_review,
    targets_period_label,
    tasks_for,
)
from app.appraisals.services.templates import (
    create_template,
    cycle_settings,
    default_template,
    get_template,
    list_templates,
    template_data,
    update_template,
)

__all__ = [
    "NOTE_LABELS",
    "CycleData",
    "close_cycle",
    "compute",
    "create_cycle",
    "create_template",
    "default_template",
    "delete_cycle",
    "get_cycle",
    "get_review",
    "get_template",
    "in_department",
    "is_overdue",
    "list_cycles",
    "list_reviews",
    "list_templates",
    "note_texts",
    "overdue_condition",
    "score_review",
    "targets_period",
    "targets_period_label",
    "tasks_for",
    "template_data",
    "update_cycle",
    "update_template",
    "cycle_settings",
    "period_end",
]
