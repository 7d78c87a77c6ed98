"""The link rule: a link is seen only by a user who may see both ends (where protected) and the
record it came from. Lists and single records agree, because both are the one rule."""

import pytest
from django.http import Http404

from harbour.access.policy import Action, can, scope
from harbour.graph import selectors, services
from harbour.graph.models import Link, LinkType, Phone

pytestmark = pytest.mark.django_db


def test_link_needs_both_ends_visible(world):
    w = world
    phone, _ = services.entity_get_or_create_by_value(caller=w.caller(w.officer), kind="phone", value="07700 900123")
    adult_phone = services.link_create(caller=w.caller(w.officer), source=w.adult, target=phone, link_type="uses_phone")
    with_child = services.link_create(
        caller=w.caller(w.officer), source=w.child, target=w.adult, link_type=LinkType.ASSOCIATE
    )
    # The officer sees the child (shared with the force) and the adult (owned): both links.
    assert set(selectors.links_visible(user=w.officer)) == {adult_phone, with_child}
    # The council sees its child, not the police's adult of concern: neither link (both touch the adult).
    assert list(selectors.links_visible(user=w.social_worker)) == []
    assert not can(w.social_worker, Action.VIEW, with_child)
    # A police force that sees neither sees nothing, and health sees nothing.
    assert list(selectors.links_visible(user=w.other_force_officer)) == []
    assert list(selectors.links_visible(user=w.nurse)) == []


def test_hidden_person_is_never_an_end_the_user_sees(world):
    w = world
    # The other council links its own child to a phone; the police cannot see that child.
    phone, _ = services.entity_get_or_create_by_value(
        caller=w.caller(w.other_social_worker), kind="phone", value="+44 7700 900555"
    )
    link = services.link_create(
        caller=w.caller(w.other_social_worker), source=w.hidden_child, target=phone, link_type="uses_phone"
    )
    assert can(w.other_social_worker, Action.VIEW, link)
    assert not can(w.officer, Action.VIEW, link)
    # The officer records the same phone for the adult: the phone is one entity, but the officer
    # still sees only their own link through it.
    same, created = services.entity_get_or_create_by_value(
        caller=w.caller(w.officer), kind="phone", value="07700900555"
    )
    assert same == phone and not created
    services.link_create(caller=w.caller(w.officer), source=w.adult, target=phone, link_type="uses_phone")
    rows = selectors.link_rows(user=w.officer, record=phone)
    assert [row.other for row in rows] == [w.adult]


def test_cannot_link_a_person_one_cannot_see(world):
    w = world
    with pytest.raises(Http404):
        services.link_create(
            caller=w.caller(w.officer), source=w.hidden_child, target=w.adult, link_type=LinkType.ASSOCIATE
        )
    assert not Link.objects.exists()


def test_list_and_single_record_agree_for_every_user_and_link(world):
    w = world
    phone, _ = services.entity_get_or_create_by_value(caller=w.caller(w.officer), kind="phone", value="07700 900123")
    services.link_create(caller=w.caller(w.officer), source=w.adult, target=phone, link_type="uses_phone")
    services.link_create(caller=w.caller(w.officer), source=w.child, target=w.adult, link_type="associate")
    services.link_create(caller=w.caller(w.social_worker), source=w.child, target=phone, link_type="uses_phone")
    services.link_create(
        caller=w.caller(w.other_social_worker), source=w.hidden_child, target=phone, link_type="uses_phone"
    )
    users = [w.officer, w.supervisor, w.analyst, w.other_force_officer, w.social_worker, w.other_social_worker, w.nurse]
    for user in users:
        listed = set(scope(user, Link.objects.all()))
        for link in Link.objects.all():
            assert (link in listed) == can(user, Action.VIEW, link), (user, link)
        phones = set(scope(user, Phone.objects.all()))
        assert (phone in phones) == can(user, Action.VIEW, phone)


def test_entity_is_seen_by_its_recorder_and_through_visible_links(world):
    w = world
    phone, _ = services.entity_get_or_create_by_value(caller=w.caller(w.officer), kind="phone", value="07700 900777")
    assert can(w.officer, Action.VIEW, phone)
    assert not can(w.social_worker, Action.VIEW, phone)
    services.link_create(caller=w.caller(w.social_worker), source=w.child, target=phone, link_type="uses_phone")
    assert can(w.social_worker, Action.VIEW, phone)
    assert not can(w.other_social_worker, Action.VIEW, phone)


def test_entities_are_idempotent_by_normalised_value(world):
    w = world
    caller = w.caller(w.officer)
    first, created = services.entity_get_or_create_by_value(caller=caller, kind="vehicle", value="ab12 cde")
    again, created_again = services.entity_get_or_create_by_value(caller=caller, kind="vehicle", value="AB12CDE")
    assert created and not created_again and first == again and first.registration == "AB12CDE"
    account, _ = services.entity_get_or_create_by_value(caller=caller, kind="account", value="Insta:@Big_Dave")
    same, _ = services.entity_get_or_create_by_value(
        caller=caller, kind="account", value="instagram:https://instagram.com/big_dave"
    )
    assert account == same and str(account) == "Instagram: @big_dave"
    org, _ = services.entity_get_or_create_by_value(caller=caller, kind="organisation", value="taxi_firm:Speedy Cars")
    org2, _ = services.entity_get_or_create_by_value(
        caller=caller, kind="organisation", value="taxi_firm: SPEEDY  cars."
    )
    assert org == org2 and org.name == "Speedy Cars"


def test_links_are_idempotent_and_withdrawal_is_kept_and_audited(world):
    from harbour.audit.models import AuditAction, AuditEvent

    w = world
    caller = w.caller(w.officer)
    first = services.link_create(caller=caller, source=w.child, target=w.adult, link_type="associate")
    assert services.link_create(caller=caller, source=w.child, target=w.adult, link_type="associate") == first
    assert Link.objects.count() == 1
    services.link_withdraw(caller=caller, link=first, reason="Mistaken identity")
    first.refresh_from_db()
    assert first.is_withdrawn and first.withdrawn_reason == "Mistaken identity"
    assert list(selectors.links_visible(user=w.officer)) == []
    assert AuditEvent.objects.filter(object_type="graph.link", action=AuditAction.CREATE).count() == 1
    assert AuditEvent.objects.filter(object_type="graph.link", action=AuditAction.UPDATE).count() == 1
