"""The text of each kind of notification, with named placeholders, rendered when shown."""

from django.utils.translation import gettext as _


def render(kind: str, params: dict) -> str:
    templates = {
        "vetting_expiring": _("Your vetting expires on %(date)s (in %(days)s days)."),
        "certification_expiring": _(
            "Your certification %(course)s expires on %(date)s (in %(days)s days)."
        ),
        "staff_vetting_expiring": _(
            "The vetting of %(name)s (%(badge)s) expires on %(date)s (in %(days)s days)."
        ),
        "staff_certification_expiring": _(
            "The certification %(course)s of %(name)s (%(badge)s) expires on %(date)s "
            "(in %(days)s days)."
        ),
    }
    template = templates.get(kind)
    if template is None:
        return kind
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template
