from alianza.access.querysets import MarkedViaQuerySet


class ItemQuerySet(MarkedViaQuerySet):
    """Items (drugs, firearms, ...) are visible exactly when their event is."""

    marking_path = "event__marking"
