"""What happens to background tasks, announced to whoever listens (blinker signals).

``finished`` is sent by ``services.run`` when a task's handler returned, inside the handler's
transaction (listeners' rows commit with the work); sender: the Task."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

finished = _signals.signal("task-finished")
