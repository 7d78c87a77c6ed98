"""Reading notifications: only the recipient's own, through the policy."""

from django.http import Http404

from harbour.access.policy import Action, can, get_or_404, scope

from .models import Notification

LIST_LIMIT = 100


def notification_list(*, user, unread_only: bool = False):
    notifications = scope(user, Notification.objects.all(), Action.VIEW)
    if unread_only:
        notifications = notifications.unread()
    return notifications


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return notification_list(user=user, unread_only=True).count()


def notification_target(*, user, pk) -> Notification:
    """The user's notification, if the record it is about is still visible to them: access may
    have changed since it was raised (a share ended, a record restricted). 404 otherwise."""
    notification = get_or_404(user, Notification.objects.select_related("content_type"), Action.VIEW, pk=pk)
    if notification.content_type_id:
        model = notification.content_type.model_class()
        record = model._default_manager.filter(pk=notification.object_id).first() if model else None
        if record is None or not can(user, Action.VIEW, record):
            raise Http404("Not found")
    return notification
