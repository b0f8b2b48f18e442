"""A user's language applies to their request only, never to what the thread does next."""

import pytest
from django.utils import translation

from alianza.accounts.models import UserPreference

from world import login_verified


@pytest.mark.django_db
def test_a_spanish_users_request_leaves_the_threads_language_as_it_was(client, world):
    user = world.user("mx_analyst")
    UserPreference.objects.update_or_create(user=user, defaults={"language": "es"})
    login_verified(client, user)
    with translation.override("en"):
        body = client.get("/").content.decode()
        assert 'lang="es"' in body
        assert translation.get_language() == "en"
