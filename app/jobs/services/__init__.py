"""Job-description versions: drafting, the approval workflow, acknowledgements and the named
queries of the pages. Services flush; the caller commits once. Everything public is available
from ``app.jobs.services``; the modules hold drafting, the workflow and the queries.

Workflow::

    draft ──submit──▶ in review ──approve──▶ approved ──publish──▶ published ──(next publish)──▶ superseded
      ▲                  │                      │
      └─────return───────┴──────return──────────┘

A position has at most one open version (draft, in review or approved) at a time; editing a
published job description starts a new draft copied from it.
"""

from __future__ import annotations

from app.jobs.services.drafting import (
    EVENT_LABELS,
    current_version,
    discard_draft,
    event_label,
    get_version,
    open_version,
    published_versions,
    record_event,
    require_status,
    save_content,
    start_draft,
    version_history,
    versions_of,
)
from app.jobs.services.queries import (
    JD_STATES,
    counts_by_state,
    coverage,
    job_descriptions,
    list_job_descriptions,
    review_queue,
    tasks_for,
    versions_by_position,
)
from app.jobs.services.workflow import (
    acknowledge,
    acknowledgement_of,
    approve,
    outstanding_acknowledgements,
    publish,
    publish_many,
    return_for_changes,
    submit,
    unacknowledged,
    waive,
)

__all__ = [
    "get_version",
    "current_version",
    "published_versions",
    "open_version",
    "version_history",
    "versions_of",
    "record_event",
    "EVENT_LABELS",
    "event_label",
    "start_draft",
    "save_content",
    "discard_draft",
    "require_status",
    "submit",
    "return_for_changes",
    "approve",
    "publish",
    "publish_many",
    "waive",
    "acknowledge",
    "acknowledgement_of",
    "outstanding_acknowledgements",
    "unacknowledged",
    "JD_STATES",
    "job_descriptions",
    "list_job_descriptions",
    "versions_by_position",
    "review_queue",
    "counts_by_state",
    "tasks_for",
    "coverage",
]
