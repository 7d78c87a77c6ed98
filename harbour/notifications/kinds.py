"""The kinds of notification, each with a label users choose by and a default email frequency.

Other apps add their own with `register_kind()` in `AppConfig.ready()`; `notify()` refuses a kind
nobody registered, so a typo cannot create notifications no preference can reach.
"""

from dataclasses import dataclass

from django.db import models


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Email me straight away"
    DAILY = "daily", "Email me a daily summary"
    NEVER = "never", "Do not email me (show in Harbour only)"


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    default_frequency: str = Frequency.DAILY


KINDS: dict[str, Kind] = {}


def register_kind(code: str, label: str, default_frequency: str = Frequency.DAILY) -> Kind:
    kind = Kind(code, label, Frequency(default_frequency))
    KINDS[code] = kind
    return kind


def kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return kind.label if kind else code.replace("_", " ").capitalize()


# The kinds issue 9 names. Apps that raise them call notify() with these codes.
REFERRAL_RECEIVED = register_kind(
    "referral_received", "A referral or transfer sent to me or my team", Frequency.IMMEDIATELY
).code
REFERRAL_DECIDED = register_kind("referral_decided", "A referral I made was accepted or declined").code
ASSIGNED = register_kind(
    "assigned", "An episode, alert or action assigned to me or my team", Frequency.IMMEDIATELY
).code
CLOCK = register_kind(
    "clock", "A return interview or police protection clock about to run out", Frequency.IMMEDIATELY
).code
CO_PRESENCE = register_kind("co_presence", "A co-presence alert", Frequency.IMMEDIATELY).code
ORDER_BREACH = register_kind("order_breach", "A breach of an order", Frequency.IMMEDIATELY).code
MACE_ACTION = register_kind("mace_action", "A MACE action for me, or one overdue").code
RETENTION_DUE = register_kind("retention_due", "Records due for retention review").code
