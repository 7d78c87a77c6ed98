"""Digital evidence in the demo area: one investigation of the police Child Exploitation Team with a
seized phone's chat export, imported, indexed and scanned as a real one would be.

The chat is generated (the same seed gives the same chat): weeks of ordinary messages between an
adult's account and a child, with the non-explicit grooming indicator phrases the rules look for
appearing in the order O'Connell's stages describe: friendship and age probing, flattery and
gifts, secrecy and risk probing, a move to another app, requests for pictures, arranging to meet,
and finally pressure. Phone numbers are from Ofcom's range for drama (07700 900xxx). No message
contains sexual content.

Called at the end of `seed_demo`, inside its transaction, as the demo's detective constable.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone

from harbour.core.caller import Caller
from harbour.evidence import importer, services

if TYPE_CHECKING:
    from .seed import DemoArea

ADULT, CHILD = "Jay", "Kayden"
ORDINARY = [
    "hey",
    "you ok",
    "what you up to",
    "just got back from school",
    "so bored",
    "watching football",
    "lol",
    "haha same",
    "my mum is making tea",
    "got loads of homework",
    "did you see that video",
    "going to the park later",
    "it's raining again",
    "can't be bothered",
    "what games you playing",
    "night",
    "morning",
    "my phone is on 5%",
    "nah",
    "yeah maybe",
]
# Stages in order: (days into the chat it starts, sender, phrases).
STAGES = [
    (0, ADULT, ["how old are you", "what school do you go to", "where do you live"]),
    (5, ADULT, ["you're so mature for your age", "you can trust me", "you're not like other people your age"]),
    (10, ADULT, ["i'll buy you a new phone", "i can top you up", "i got you something"]),
    (
        15,
        ADULT,
        ["don't tell your mum we talk", "delete this chat after", "are your parents home?", "is anyone else home"],
    ),
    (21, ADULT, ["add me on snap, it's @jay_k_harbour", "text me on 07700 900481", "let's talk on whatsapp instead"]),
    (26, ADULT, ["send me a pic", "what are you wearing", "turn your camera on"]),
    (
        30,
        ADULT,
        ["let's meet up", "i can pick you up from the retail park, HB6 4RP, saturday at 7pm", "i'll pay for a taxi"],
    ),
    (36, ADULT, ["you owe me after everything i've done for you", "nobody will believe you", "you promised me"]),
]
CHILD_REPLIES = ["ok", "idk", "maybe", "i'm 13", "why", "my mum checks my phone sometimes", "fine", "i can't"]


def _chat(rng: random.Random, start: datetime, days: int = 42, per_day: tuple[int, int] = (40, 90)) -> str:
    """A WhatsApp-style export ("dd/mm/yyyy, hh:mm - Name: text"), in UK local time."""
    london = ZoneInfo("Europe/London")
    lines = []
    for day in range(days):
        when = (start + timedelta(days=day)).astimezone(london).replace(hour=16, minute=0)
        open_stages = [phrases for begins, _, phrases in STAGES if day >= begins]
        for _ in range(rng.randint(*per_day)):
            when += timedelta(minutes=rng.randint(1, 6))
            if open_stages and rng.random() < 0.04:
                sender, text = ADULT, rng.choice(rng.choice(open_stages[-2:]))
            elif rng.random() < 0.03:
                sender, text = CHILD, rng.choice(CHILD_REPLIES)
            else:
                sender, text = rng.choice((ADULT, CHILD)), rng.choice(ORDINARY)
            lines.append(f"{when:%d/%m/%Y, %H:%M} - {sender}: {text}")
    return "\n".join(lines) + "\n"


def seed_evidence(area: DemoArea, *, rng: random.Random, progress=None) -> None:
    say = progress or (lambda message: None)
    officer = area.users["police.officer"]
    caller = Caller(officer)
    investigation = services.investigation_create(
        caller=caller, name="Operation Lantern: online contact with a child", reference="HBP-OP-LANTERN"
    )
    now = timezone.now()
    export = io.BytesIO(_chat(rng, now - timedelta(days=60)).encode())
    export.name = "WhatsApp Chat with Jay.txt"
    item = services.item_import(
        caller=caller,
        investigation=investigation,
        upload=export,
        format="whatsapp",
        description="Exhibit DO/1: child's phone, WhatsApp export",
        source_device="Android phone, exhibit DO/1",
        source_platform="WhatsApp",
        export_description="Exported by the phone's own 'Export chat' (without media)",
        seized_by="DC D. Okonjo",
        seized_at=now - timedelta(days=3),
        conversation_name="Jay and Kayden",
    )
    # The worker would run the queued job; the demo runs it now so the data is there at once (the
    # queued job then finds the item imported and stops).
    result = importer.run_import(item.pk)
    say(f"evidence: {investigation.reference}, {result.get('messages', 0)} messages, {result.get('flags', 0)} flags")
