"""Test settings: the same policy and security settings, faster password hashing."""

from .local import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: speed
AUTH_PASSWORD_VALIDATORS = []
