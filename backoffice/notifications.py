"""The desk's bell (unread count, polled by htmx) and the list of a staff member's messages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from notify import inbox


@login_required
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The bell's count, swapped into the header every NOTIFY_BELL_SECONDS."""
    count = inbox.unread_count(request.user)  # type: ignore[arg-type]
    return render(request, "backoffice/partials/bell.html", {"unread": count})


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's in-app messages, newest first; POST marks them all read."""
    user = request.user
    if request.method == "POST":
        inbox.mark_read(user, timezone.now())  # type: ignore[arg-type]
        return redirect("backoffice:notifications")
    messages = inbox.with_texts(inbox.in_app(user))  # type: ignore[arg-type]
    unread = sum(1 for m, _text in messages if m.read_at is None)
    return render(request, "backoffice/notifications.html", {"items": messages, "unread": unread})
