"""The citizen's messages (/tai-khoan/thong-bao/): what was sent to them, on which channel,
how it went; and the channels they do not want (never the in-app list)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import User
from dossiers.choices import MessageChannel
from notify import inbox
from portal.accounts import citizen_required


@citizen_required
@require_http_methods(["GET", "POST"])
def notices(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    now = timezone.now()
    if request.method == "POST":
        keep = {c for c in inbox.OPTIONAL_CHANNELS if request.POST.get(f"on_{c}") != "1"}
        inbox.set_opt_outs(user, set(keep), now)
        messages.success(request, _("Your choices were saved."))
        return redirect("citizen:notices")
    inbox.mark_read(user, now)
    off = inbox.opted_out_channels(user)
    channels = [(c, MessageChannel(c).label, c not in off) for c in inbox.OPTIONAL_CHANNELS]
    return render(
        request,
        "portal/account_notices.html",
        {"items": inbox.with_texts(inbox.citizen_messages(user)), "channels": channels},
    )
