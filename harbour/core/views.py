from django.http import HttpResponse
from django.shortcuts import render

from harbour.access.policy import Action, scope
from harbour.accounts.roles import Role
from harbour.people.models import Person


def home(request):
    """My work: the records allocated to me or my team, and what I may do from here."""
    user = request.user
    recent = []
    if user.role not in (Role.AUDITOR, Role.ADMINISTRATOR):
        recent = list(scope(user, Person.objects.all(), Action.VIEW).order_by("-updated_at")[:10])
    return render(request, "core/home.html", {"recent_people": recent})


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
