"""What happens to appraisal reviews, announced to whoever listens (blinker signals).

Sent by the services after the change is flushed, inside the caller's transaction (listeners'
rows commit or roll back with it). ``app.notifications`` subscribes from above; this domain does
not know who listens."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the Review whose step ``step`` (a Step value) just opened for someone.
step_opened = _signals.signal("review-step-opened")
# sender: the Review whose band HR moved at calibration.
band_calibrated = _signals.signal("review-band-calibrated")
# sender: the AppraisalCycle; ``since``: the reviews created at or after this moment were just
# launched (inserted in bulk) and their first step is open.
reviews_launched = _signals.signal("reviews-launched")
# sender: None; ``nomination_ids``: 360° feedback requests just approved (their respondents are
# asked to answer before the deadline).
feedback_requested = _signals.signal("feedback-requested")
