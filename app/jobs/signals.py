"""What happens to a job description, announced to whoever listens (blinker signals).

The workflow's services send them after the change is flushed, inside the caller's transaction,
so a listener that writes rows (notifications, mails to send) commits or rolls back with the
change. The domain does not know who listens: ``app.notifications`` subscribes from above.
Every signal's sender is the ``JobDescriptionVersion``; ``by`` is the acting user."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

submitted = _signals.signal("jd-submitted")
returned = _signals.signal("jd-returned")  # also ``comment``: what needs to change
approved = _signals.signal("jd-approved")
published = _signals.signal("jd-published")  # the holders are asked to acknowledge it
