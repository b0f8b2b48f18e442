class AccessLayerBypassed(RuntimeError):
    """A sensitive model was queried without going through the access layer.

    Raised (in every environment: failing closed costs an error page, failing open costs a leak)
    when a queryset of a sensitive model is evaluated before `visible_to(user)` or an explicit,
    reasoned `unrestricted(reason=...)` was applied.
    """
