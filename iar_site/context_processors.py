from . import roles


def roles_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set(), "primary_role": None}
    return {"user_roles": roles.roles_of(user), "primary_role": roles.primary_role(user)}
