"""Python's cyclic garbage collection, moved onto the UI thread.

CPython runs its cycle collector in whichever thread happens to allocate when a threshold is
crossed. With the database worker allocating constantly, that is often the worker thread; and
when a cycle holds a Qt object (a window referenced from an exception's traceback, a lambda
that captured `self`), the collector deletes that widget off the UI thread and the app crashes
later in some unrelated layout code. So automatic collection is switched off while the app
runs, and a timer on the UI thread collects instead, generation by generation, using the same
thresholds Python would have used, and, as Python does, collecting the oldest generation only
once the heap has grown by a quarter since that was last done: at head office a full
collection holds the UI for a quarter of a second (issue 9), and without that rule it came
every minute or so of use whatever the heap did.
"""

from __future__ import annotations

import gc
import logging
import sys

from PySide6.QtCore import QObject, QTimer

logger = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 500
# The oldest generation is collected once the interpreter's allocated blocks have grown by this
# factor since its last collection (CPython's own rule counts long-lived objects; blocks are
# the cheap measure of the same growth).
FULL_COLLECTION_GROWTH = 1.25


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._blocks_after_full = sys.getallocatedblocks()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        self._blocks_after_full = sys.getallocatedblocks()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collect what is left here, then give collection back to Python."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def check(self) -> None:
        counts = gc.get_count()
        generation = -1
        for level, (count, threshold) in enumerate(zip(counts, self._thresholds, strict=True)):
            if threshold and count > threshold:
                generation = level
            else:
                break
        if generation == 2 and not self._heap_grew():
            generation = 1  # as Python does: the old objects are not worth a full pass yet
        if generation >= 0:
            gc.collect(generation)
            if generation == 2:
                self._blocks_after_full = sys.getallocatedblocks()

    def _heap_grew(self) -> bool:
        return sys.getallocatedblocks() > self._blocks_after_full * FULL_COLLECTION_GROWTH
