"""A suspended officer leaves every patrol plan that has not ended (audited, same transaction)."""

from django.dispatch import receiver

from alianza.vetting.services import officer_suspended


@receiver(officer_suspended, dispatch_uid="patrols_remove_suspended_officer")
def remove_suspended_officer(sender, *, officer, allegation=None, **kwargs) -> None:
    from .services import officer_remove_from_plans

    officer_remove_from_plans(
        actor=None,
        officer=officer,
        reason=f"suspended (allegation {allegation.pk})" if allegation else "suspended",
    )
