"""Durations and statuses against the law constants: each failure is a clear error on the field."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.disruption import law
from harbour.disruption.models import DisruptionOrder, OrderStatus, cawn_child_error
from harbour.people.models import LookedAfterStatus

from .world import years_ago

pytestmark = pytest.mark.django_db


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert law.add_months(date(2024, 2, 29), 24) == date(2026, 2, 28)
    assert law.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert law.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_every_tool_names_its_basis_and_the_verify_points_are_marked():
    for tool in law.TOOLS:
        assert tool.basis and tool.who and tool.subjects
    assert law.SEXUAL_RISK_ORDER.min_duration == law.Duration(years=2)
    assert law.SEXUAL_HARM_PREVENTION_ORDER.min_duration == law.Duration(years=5)
    assert law.SLAVERY_TRAFFICKING_RISK_ORDER.min_duration == law.Duration(years=2)
    assert law.SLAVERY_TRAFFICKING_PREVENTION_ORDER.min_duration == law.Duration(years=5)
    assert law.CLOSURE_NOTICE.max_duration == law.Duration(hours=24)
    assert law.CLOSURE_NOTICE.max_with_extension == law.Duration(hours=48)
    assert law.CLOSURE_ORDER.max_duration == law.Duration(months=3)
    assert law.CLOSURE_ORDER.max_with_extension == law.Duration(months=6)
    assert law.HOTEL_NOTICE.max_duration == law.Duration(months=6)
    assert "verify" in law.CCE_PREVENTION_ORDER.basis


def order(world, tool, **fields) -> DisruptionOrder:
    values = {
        "tool": tool.code,
        "subject_kind": next(iter(sorted(tool.subjects))),
        "status": OrderStatus.GRANTED,
        "owning_agency": world.police,
        "created_by": world.officer,
    }
    if values["subject_kind"] == law.PERSON:
        values["subject_person"] = world.adult
    elif values["subject_kind"] == law.BUSINESS:
        values["subject_business"] = "The Quayside Hotel"
    values.update(fields)
    return DisruptionOrder(**values)


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def at_end_of(day: date) -> datetime:
    return law.start_of_day(day) + timedelta(hours=12)


def test_sexual_risk_order_lasts_at_least_two_years(world):
    granted = timezone.localdate() - timedelta(days=10)
    short = order(world, law.SEXUAL_RISK_ORDER, granted_on=granted, expires_at=at_end_of(law.add_months(granted, 23)))
    message = errors_of(short)["expires_at"][0]
    assert "at least 2 years" in message and "s122A" in message
    order(
        world, law.SEXUAL_RISK_ORDER, granted_on=granted, expires_at=at_end_of(law.add_months(granted, 24))
    ).full_clean()
    order(world, law.SEXUAL_RISK_ORDER, granted_on=granted, until_further_order=True).full_clean()


def test_shpo_and_stpo_at_least_five_years_stro_two(world):
    granted = timezone.localdate() - timedelta(days=1)
    four_years = at_end_of(law.add_months(granted, 48))
    assert (
        "at least 5 years"
        in errors_of(order(world, law.SEXUAL_HARM_PREVENTION_ORDER, granted_on=granted, expires_at=four_years))[
            "expires_at"
        ][0]
    )
    assert (
        "at least 5 years"
        in errors_of(order(world, law.SLAVERY_TRAFFICKING_PREVENTION_ORDER, granted_on=granted, expires_at=four_years))[
            "expires_at"
        ][0]
    )
    order(
        world, law.SLAVERY_TRAFFICKING_RISK_ORDER, granted_on=granted, expires_at=at_end_of(law.add_months(granted, 24))
    ).full_clean()


def test_knife_crime_prevention_order_six_months_to_two_years(world):
    granted = timezone.localdate()
    assert (
        "at least 6 months"
        in errors_of(
            order(
                world,
                law.KNIFE_CRIME_PREVENTION_ORDER,
                granted_on=granted,
                expires_at=at_end_of(law.add_months(granted, 5)),
            )
        )["expires_at"][0]
    )
    assert (
        "at most 2 years"
        in errors_of(
            order(
                world,
                law.KNIFE_CRIME_PREVENTION_ORDER,
                granted_on=granted,
                expires_at=at_end_of(law.add_months(granted, 25)),
            )
        )["expires_at"][0]
    )
    order(
        world, law.KNIFE_CRIME_PREVENTION_ORDER, granted_on=granted, expires_at=at_end_of(law.add_months(granted, 12))
    ).full_clean()


def test_closure_notice_24_hours_or_48_when_extended(world):
    served = timezone.now() - timedelta(hours=2)
    place_order = dict(
        subject_kind=law.PLACE, status=OrderStatus.SERVED, granted_on=timezone.localdate(served), served_at=served
    )
    from harbour.missing.models import Place

    place = Place.objects.create(name="Flat 3, Mill Lane", postcode="HB3 1ZZ")
    ok = order(world, law.CLOSURE_NOTICE, subject_place=place, expires_at=served + timedelta(hours=24), **place_order)
    ok.full_clean()
    long = order(world, law.CLOSURE_NOTICE, subject_place=place, expires_at=served + timedelta(hours=30), **place_order)
    message = errors_of(long)["expires_at"][0]
    assert "at most 24 hours unless extended (to at most 48 hours)" in message
    order(
        world,
        law.CLOSURE_NOTICE,
        subject_place=place,
        extended=True,
        expires_at=served + timedelta(hours=48),
        **place_order,
    ).full_clean()
    too_long = order(
        world,
        law.CLOSURE_NOTICE,
        subject_place=place,
        extended=True,
        expires_at=served + timedelta(hours=49),
        **place_order,
    )
    assert "at most 48 hours" in errors_of(too_long)["expires_at"][0]


def test_closure_order_three_months_six_when_extended_and_hotel_notice_six(world):
    from harbour.missing.models import Place

    place = Place.objects.create(name="Flat 3, Mill Lane")
    granted = timezone.localdate()
    four_months = at_end_of(law.add_months(granted, 4))
    assert (
        "at most 3 months"
        in errors_of(
            order(
                world,
                law.CLOSURE_ORDER,
                subject_kind=law.PLACE,
                subject_place=place,
                granted_on=granted,
                expires_at=four_months,
            )
        )["expires_at"][0]
    )
    order(
        world,
        law.CLOSURE_ORDER,
        subject_kind=law.PLACE,
        subject_place=place,
        granted_on=granted,
        expires_at=four_months,
        extended=True,
    ).full_clean()
    assert (
        "at most 6 months"
        in errors_of(
            order(
                world,
                law.CLOSURE_ORDER,
                subject_kind=law.PLACE,
                subject_place=place,
                granted_on=granted,
                expires_at=at_end_of(law.add_months(granted, 7)),
                extended=True,
            )
        )["expires_at"][0]
    )
    hotel = order(
        world,
        law.HOTEL_NOTICE,
        subject_kind=law.BUSINESS,
        subject_business="The Quayside Hotel",
        granted_on=granted,
        expires_at=at_end_of(law.add_months(granted, 7)),
    )
    assert "at most 6 months" in errors_of(hotel)["expires_at"][0]


def test_criminal_behaviour_order_youth_durations(world):
    from harbour.demo import factories as f

    youth = f.make_person(owning_agency=world.police, created_by=world.officer, date_of_birth=years_ago(16))
    granted = timezone.localdate()
    four_years = at_end_of(law.add_months(granted, 48))
    message = errors_of(
        order(world, law.CRIMINAL_BEHAVIOUR_ORDER, subject_person=youth, granted_on=granted, expires_at=four_years)
    )["expires_at"][0]
    assert "at most 3 years for a person under 18" in message
    order(world, law.CRIMINAL_BEHAVIOUR_ORDER, granted_on=granted, expires_at=four_years).full_clean()  # the adult
    assert (
        "at least 2 years"
        in errors_of(
            order(
                world,
                law.CRIMINAL_BEHAVIOUR_ORDER,
                granted_on=granted,
                expires_at=at_end_of(law.add_months(granted, 18)),
            )
        )["expires_at"][0]
    )


def test_statuses_need_their_dates_and_reasons(world):
    today = timezone.localdate()
    assert "granted_on" in errors_of(order(world, law.SEXUAL_RISK_ORDER, until_further_order=True))
    assert "served_at" in errors_of(
        order(world, law.SEXUAL_RISK_ORDER, status=OrderStatus.SERVED, granted_on=today, until_further_order=True)
    )
    assert "applied_on" in errors_of(order(world, law.SEXUAL_RISK_ORDER, status=OrderStatus.APPLIED))
    refused = errors_of(order(world, law.SEXUAL_RISK_ORDER, status=OrderStatus.REFUSED, applied_on=today))
    assert refused["status_note"] == ["Say why it was refused."]
    expired = errors_of(
        order(world, law.SEXUAL_RISK_ORDER, status=OrderStatus.EXPIRED, granted_on=today, until_further_order=True)
    )
    assert "expires_at" in expired
    future = errors_of(
        order(world, law.SEXUAL_RISK_ORDER, granted_on=today + timedelta(days=3), until_further_order=True)
    )
    assert future["granted_on"] == ["The date must be today or in the past."]
    before = errors_of(
        order(
            world,
            law.SEXUAL_RISK_ORDER,
            applied_on=today,
            granted_on=today - timedelta(days=1),
            until_further_order=True,
        )
    )
    assert "before the application" in before["granted_on"][0]
    assert "expires_at" in errors_of(order(world, law.SEXUAL_RISK_ORDER, granted_on=today))  # no end, not open-ended
    order(world, law.SEXUAL_RISK_ORDER, status=OrderStatus.CONSIDERED).full_clean()
    assert "until_further_order" in errors_of(
        order(world, law.KNIFE_CRIME_PREVENTION_ORDER, granted_on=today, until_further_order=True)
    )


def test_subject_must_fit_the_tool_and_other_needs_a_name(world):
    wrong = errors_of(
        order(
            world, law.CLOSURE_ORDER, subject_kind=law.PERSON, subject_person=world.adult, status=OrderStatus.CONSIDERED
        )
    )
    assert wrong["subject_kind"] == ["A Closure order is made against a place."]
    assert "other_tool_name" in errors_of(order(world, law.OTHER, status=OrderStatus.CONSIDERED))
    named = order(world, law.OTHER, other_tool_name="Taxi licence review", status=OrderStatus.CONSIDERED)
    named.full_clean()
    assert named.tool_label == "Taxi licence review"


def test_effective_status_reads_a_lapsed_end_as_expired(world):
    lapsed = order(
        world,
        law.KNIFE_CRIME_PREVENTION_ORDER,
        granted_on=timezone.localdate() - timedelta(days=400),
        expires_at=timezone.now() - timedelta(days=1),
    )
    assert lapsed.effective_status() == OrderStatus.EXPIRED
    assert not lapsed.is_in_force


def test_cawn_protects_under_16_or_under_18_in_care(world):
    from harbour.demo import factories as f

    today = timezone.localdate()
    assert cawn_child_error(world.child, on=today) is None
    sixteen = f.make_person(owning_agency=world.north, created_by=world.north_sw, date_of_birth=years_ago(16, days=2))
    assert "under 16, or under 18 if in care" in cawn_child_error(sixteen, on=today)
    in_care = f.make_person(
        owning_agency=world.north,
        created_by=world.north_sw,
        date_of_birth=years_ago(16, days=2),
        looked_after_status=LookedAfterStatus.LOOKED_AFTER,
        responsible_authority=world.north,
        host_authority=world.north,
    )
    assert cawn_child_error(in_care, on=today) is None
    assert "not recorded as a child" in cawn_child_error(world.adult, on=today)
