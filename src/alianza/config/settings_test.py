"""Settings for the test suite: the same as production, with fast hashing and a temp data dir."""

import atexit
import os
import shutil
import tempfile

if "ALIANZA_DATA_DIR" not in os.environ:
    os.environ["ALIANZA_DATA_DIR"] = tempfile.mkdtemp(prefix="alianza-test-")
    atexit.register(shutil.rmtree, os.environ["ALIANZA_DATA_DIR"], ignore_errors=True)
os.environ.setdefault(
    "ALIANZA_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789"
)

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod uses Argon2
AXES_ENABLED = True
ALIANZA_ACCESS_STRICT = True

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not shared-cache memory: WAL and IMMEDIATE transactions behave as in production,
    # so concurrency tests mean something on SQLite too.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
