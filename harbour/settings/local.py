"""Local development and the demo: SQLite under var/, plain HTTP on 127.0.0.1."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("HARBOUR_DEBUG", False)
# A development key only: production refuses to start without HARBOUR_SECRET_KEY.
SECRET_KEY = os.environ.get("HARBOUR_SECRET_KEY") or "harbour-local-development-key-not-for-production-use-0123456789"
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)  # whitenoise expects STATIC_ROOT to exist
