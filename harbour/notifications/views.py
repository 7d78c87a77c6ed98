"""Notification screens: the list, the badge the header polls, opening one, and preferences."""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.access.policy import Action, get_or_404

from . import selectors, services
from .forms import PreferencesForm
from .models import Notification


def not_activity(view):
    """A poll is not the user doing anything: it must not keep an idle session alive.

    Sessions expire after 30 idle minutes and every request normally extends them
    (SESSION_SAVE_EVERY_REQUEST). A page left open polls every few seconds, so this view's response
    does not save the session: the idle timeout still ends it, and the next poll is sent to sign-in
    (see notifications/poll.js, which then takes the whole page there)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        session = getattr(request, "session", None)
        if session is not None:
            session.modified = False
            session.save = lambda *a, **k: None  # this request only
        return response

    return wrapped


@require_GET
@not_activity
def badge(request):
    """The unread count, as the fragment the header swaps in every few seconds."""
    return render(request, "notifications/_count.html", {"unread_count": selectors.unread_count(user=request.user)})


@require_GET
def notification_list(request):
    notifications = list(selectors.notification_list(user=request.user)[: selectors.LIST_LIMIT])
    return render(request, "notifications/list.html", {"notifications": notifications})


@require_GET
def open_notification(request, pk: int):
    """Mark read and go to what it is about, if the user may still see it."""
    notification = get_or_404(request.user, Notification.objects.all(), Action.VIEW, pk=pk)
    services.mark_read(user=request.user, notification=notification)
    try:
        notification = selectors.notification_target(user=request.user, pk=pk)
    except Http404:
        messages.info(request, "You can no longer see what that notification was about.")
        return redirect("notifications:list")
    return redirect(notification.link)


@require_POST
def read(request, pk: int):
    notification = get_or_404(request.user, Notification.objects.all(), Action.CHANGE, pk=pk)
    services.mark_read(user=request.user, notification=notification)
    return redirect("notifications:list")


@require_POST
def read_all(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, f"{count} notification(s) marked as read.")
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, initial_frequencies=services.frequencies_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, frequencies=form.cleaned_data)
        messages.success(request, "Email preferences saved.")
        return redirect("notifications:list")
    return render(request, "notifications/preferences.html", {"form": form})
