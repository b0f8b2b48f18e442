"""The audit chain stays one unbroken chain when several connections append at once (a
transactional test: each thread commits on its own connection)."""

from __future__ import annotations

import threading

import pytest

from alianza.audit.services import audit_record
from alianza.audit.verify import verify_chain


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain():
    """Several threads (each its own database connection) appending at once."""
    threads_count, per_thread = 6, 25
    errors = []

    def worker(n):
        from django.db import connections

        try:
            for i in range(per_thread):
                audit_record(action="test.concurrent", actor_username=f"t{n}", details={"i": i})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    result = verify_chain()
    assert result.ok, result.problem
    assert result.entries == threads_count * per_thread
