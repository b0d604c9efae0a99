from xiaoneng.core.nav import entries_for


def shell(request):
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"nav_entries": []}
    return {"nav_entries": entries_for(user, request.path)}
