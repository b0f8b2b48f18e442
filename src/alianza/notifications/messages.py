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
        "rfi_due_soon": _(
            "Request for information RFI-%(rfi)s from %(agency)s is due on %(date)s and still "
            "open: please answer it."
        ),
        "rfi_overdue": _(
            "Request for information RFI-%(rfi)s from %(agency)s was due on %(date)s and is "
            "overdue: please answer it."
        ),
        "rfi_request_due_soon": _(
            "Your request for information RFI-%(rfi)s to %(agency)s is due on %(date)s and not "
            "answered yet."
        ),
        "report_review_due": _(
            "Your report #%(report)s reaches its review date on %(date)s: revalidate it, or it "
            "leaves shared views on that day."
        ),
        "report_review_past": _(
            "Your report #%(report)s passed its review date on %(date)s and is out of shared "
            "views until you revalidate it."
        ),
        "rfi_request_answered": _(
            "Your request for information RFI-%(rfi)s to %(agency)s was answered."
        ),
        "rfi_request_overdue": _(
            "Your request for information RFI-%(rfi)s to %(agency)s was due on %(date)s and is "
            "overdue."
        ),
    }
    template = templates.get(kind)
    if template is None:
        return kind
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template
