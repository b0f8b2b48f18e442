"""Who may read notifications: configuration of the access layer's rules."""

from alianza.access.querysets import OwnerScopedQuerySet


class NotificationQuerySet(OwnerScopedQuerySet):
    """A notification is its addressee's alone (not their agency's, not an administrator's)."""

    owner_field = "user"
