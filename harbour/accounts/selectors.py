from django.db.models import QuerySet
from django.http import Http404

from .models import User
from .roles import Role


def user_list(*, fetched_by) -> QuerySet:
    """Users an administrator manages: those of their own agency. Others manage no one."""
    if not (fetched_by.is_authenticated and fetched_by.role == Role.ADMINISTRATOR and fetched_by.agency_id):
        return User.objects.none()
    return User.objects.filter(agency_id=fetched_by.agency_id).select_related("team", "care_home")


def user_get(*, fetched_by, pk) -> User:
    try:
        return user_list(fetched_by=fetched_by).get(pk=pk)
    except (User.DoesNotExist, ValueError):
        raise Http404("Not found") from None
