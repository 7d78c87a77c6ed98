"""What a person does in the browser, shared by the end-to-end tests."""

import re

from harbour.demo.factories import DEMO_PASSWORD


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    page.get_by_role("heading", name="Sign in to Harbour").wait_for()
