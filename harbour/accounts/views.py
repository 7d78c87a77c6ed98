from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors

from . import selectors, services
from .forms import NewUserForm, SignInForm, UserForm
from .lockout import is_locked_out
from .roles import Role


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def _admin_only(request):
    if request.user.role != Role.ADMINISTRATOR:
        raise Http404("Not found")


def user_list(request):
    _admin_only(request)
    users = list(selectors.user_list(fetched_by=request.user))
    for user in users:
        user.locked = is_locked_out(user.username)
    return render(request, "accounts/user_list.html", {"users": users})


@require_http_methods(["GET", "POST"])
def user_create(request):
    _admin_only(request)
    form = NewUserForm(request.POST or None, agency=request.user.agency)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(caller=Caller.from_request(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Account created for {user}.")
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "title": "Add a user"})


@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    _admin_only(request)
    user = selectors.user_get(fetched_by=request.user, pk=pk)
    initial = {name: getattr(user, name) for name in services.USER_FIELDS}
    form = UserForm(request.POST or None, agency=request.user.agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(caller=Caller.from_request(request), user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Changes to {user} saved.")
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "title": f"Change {user}", "managed": user})


@require_http_methods(["POST"])
def user_unlock(request, pk: int):
    _admin_only(request)
    user = selectors.user_get(fetched_by=request.user, pk=pk)
    services.user_unlock(caller=Caller.from_request(request), user=user)
    messages.success(request, f"{user} can sign in again.")
    return redirect("accounts:user_list")
