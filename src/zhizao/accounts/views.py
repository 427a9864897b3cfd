from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .selectors import SESSION_KEY, memberships_for_user


def switch_membership(request):
    if request.method != "POST" or not request.user.is_authenticated:
        raise Http404
    wanted = request.POST.get("membership", "")
    if not wanted.isdigit() or int(wanted) not in {
        m.pk for m in memberships_for_user(request.user)
    }:
        raise Http404
    request.session[SESSION_KEY] = int(wanted)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "home"
    return redirect(target)


def security(request):
    return render(request, "accounts/security.html")
