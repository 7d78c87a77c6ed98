import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM is used from the same
# thread in the tests, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
