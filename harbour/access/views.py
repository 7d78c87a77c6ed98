from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors
from harbour.people.services import break_glass_open

NO_RECORD = "No record that you may open by break-glass matches that identifier. Your request has been logged."


@require_http_methods(["GET", "POST"])
def break_glass(request):
    from .forms import BreakGlassForm

    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = break_glass_open(caller=Caller.from_request(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if person is not None:
                messages.warning(request, "Break-glass access granted for 12 hours. This access is shown to auditors.")
                return redirect("people:detail", pk=person.pk)
            form.add_error(None, NO_RECORD)
    return render(request, "access/break_glass.html", {"form": form})
