from harbour.accounts.roles import Role


def harbour(request):
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    return {
        "service_name": "Harbour",
        "is_auditor": role == Role.AUDITOR,
        "is_administrator": role == Role.ADMINISTRATOR,
        "can_search_people": role is not None and role not in (Role.AUDITOR, Role.ADMINISTRATOR, Role.MANAGER),
    }
