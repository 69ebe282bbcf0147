"""The desk pages: thin views that parse, fetch through access helpers, call one action, render."""

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.clientip import client_ip
from accounts.models import User
from audit.access import masked_fields, reveal
from audit.models import PersonalField
from backoffice import steps as step_forms
from backoffice.context import SESSION_UNIT, active_unit, served_units
from backoffice.forms import ActionForm, ApplicantForm
from backoffice.payments import fees_context
from backoffice.scans import admit_scans, attach_scans, field_name, files_context
from catalog.models import ProcedureVersion
from catalog.public import competent_units
from documents import jobs
from documents.access import book_response, former_book_units, may_print_book
from documents.book import BookError, BookQuery
from documents.jobs import finished_file, owned_job
from documents.models import Form, IssuedDocument, JobStatus
from documents.papers import PaperError, available_forms, has_electronic_result, issue
from documents.results import perform_and_issue
from documents.signing import SigningError
from dossiers import actions, search, timeliness
from dossiers.access import (
    allowed_verbs,
    get_dossier_for_user,
    transfer_targets,
    version_step_kinds,
)
from dossiers.models import Dossier
from dossiers.queues import QUEUE_LABELS, Queue, Scope, queue
from dossiers.steps import event_label
from dossiers.workflow import IRREVERSIBLE, TRANSITIONS, Verb
from lib.ids import mask
from lib.text import fold
from notify.inbox import for_dossier as notifications_of
from orgs.access import has_role
from orgs.lookups import in_force_label
from orgs.models import Role, Unit
from stats.access import watches_figures
from stats.actions import rate
from stats.models import Rating, RatingChannel, Satisfaction
from uploads.gate import Refused, discard
from workcal import OutOfRange
from workdays.calendars import calendar_for

PAGE_SIZE = 25


def current_user(request: HttpRequest) -> User:
    """The signed-in user of a @login_required view (django-stubs allows an anonymous one)."""
    user = request.user
    assert user.is_authenticated
    return user


def _scope(request: HttpRequest) -> tuple[Scope, Unit | None]:
    unit = active_unit(request)
    return Scope.of(current_user(request), unit), unit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Open the most useful inbox for the user's roles."""
    scope, unit = _scope(request)
    if (
        not scope.desk_unit_ids
        and scope.step_condition is None
        and watches_figures(current_user(request))
    ):
        # Nothing to work on, figures to watch (an IOC viewer, an inspector): the wall.
        return redirect("ioc:wall")
    first = Queue.TO_RECEIVE if scope.desk_unit_ids else Queue.IN_PROGRESS
    # Who signs starts from what waits for their signature.
    signing = queue(scope, Queue.AWAITING_SIGNATURE, timezone.now(), unit)
    if first is Queue.IN_PROGRESS and signing.exists():
        first = Queue.AWAITING_SIGNATURE
    return redirect("backoffice:queue", name=first.value)


@login_required
def inbox(request: HttpRequest, name: str) -> HttpResponse:
    """List one queue, newest first, with search and keyset pagination."""
    if name == "awaiting_approval":  # the queue's former name, in bookmarks
        return redirect("backoffice:queue", name=Queue.AWAITING_SIGNATURE.value)
    try:
        which = Queue(name)
    except ValueError:
        raise Http404 from None
    scope, unit = _scope(request)
    now = timezone.now()
    # The number of files shows what an online filing brought before the desk opens it.
    qs = (
        queue(scope, which, now, unit)
        .select_related("procedure_version__procedure", "receiving_unit", "current_step")
        .annotate(files=Count("attachments"))
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = search.search(qs, q)  # type: ignore[assignment]
    before = request.GET.get("before", "")
    if before:
        try:
            at_str, pk_str = before.split("_")
            at, pk = datetime.fromisoformat(at_str), int(pk_str)
            qs = qs.filter(Q(submitted_at__lt=at) | Q(submitted_at=at, pk__lt=pk))
        except ValueError:
            messages.error(request, _("The page link is invalid; showing the first page."))
    rows = list(qs.order_by("-submitted_at", "-pk")[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_cursor = f"{rows[-1].submitted_at.isoformat()}_{rows[-1].pk}" if more and rows else ""
    if which is Queue.TO_RECEIVE:
        for d in rows:
            # Working hours left to receive an online filing (Decree 118 art. 17.2c).
            d.intake_left = _hours(timeliness.intake_remaining(d, now))  # type: ignore[attr-defined]
    return render(
        request,
        "backoffice/inbox.html",
        {
            "queue": which,
            "queue_label": QUEUE_LABELS[which],
            "rows": [(d, mask(d.applicant_id_number), timeliness.is_overdue(d, now)) for d in rows],
            "q": q,
            "next_cursor": next_cursor,
        },
    )


@login_required
@require_POST
def switch_unit(request: HttpRequest) -> HttpResponse:
    """Remember which of the user's units the pages should show (empty: all)."""
    wanted = request.POST.get("unit", "")
    units = {str(u.pk): u for u in served_units(request)}
    if wanted in units:
        request.session[SESSION_UNIT] = units[wanted].pk
    else:
        request.session.pop(SESSION_UNIT, None)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/desk/"
    return redirect(target)


def _desk_unit(request: HttpRequest) -> Unit:
    unit = active_unit(request)
    candidates = [unit] if unit else served_units(request)
    for candidate in candidates:
        if has_role(current_user(request), Role.DESK_OFFICER, candidate):
            return candidate
    raise PermissionDenied(_("Only one-stop desk officers receive dossiers."))


def _version(code: str) -> ProcedureVersion | None:
    return (
        ProcedureVersion.objects.published()
        .select_related("procedure")
        .prefetch_related("documents")
        .filter(procedure__code=code)
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Receive a dossier at the desk: procedure, checklist, applicant, live due instant."""
    unit = _desk_unit(request)
    code = request.POST.get("procedure") or request.GET.get("procedure", "")
    version = _version(code) if code else None
    documents = list(version.documents.all()) if version else []
    competent = {u.pk: u for u in competent_units(version, unit)} if version else {}
    form = ApplicantForm(
        request.POST or None,
        document_choices=[(d.position, d.name) for d in documents],
        required_documents=[d.position for d in documents if d.required],
        competent_choices=[(pk, u.name) for pk, u in competent.items()],
    )
    choices = [(d.position, d.name) for d in documents]
    if request.method == "POST" and form.is_valid():
        if version is None:
            form.add_error(None, _("The chosen procedure is not in force."))
        else:
            user = current_user(request)
            try:
                # Every scan through the gate before anything is filed: a refused file
                # leaves no dossier and no file behind.
                scans = admit_scans(request, [p for p, _n in choices], user)
                dossier = actions.file_dossier(
                    actor=current_user(request),
                    version=version,
                    receiving_unit=unit,
                    competent_unit=competent.get(form.cleaned_data.get("competent_unit") or 0),
                    channel=form.cleaned_data["channel"],
                    applicant=actions.Applicant(
                        kind=form.cleaned_data["applicant_kind"],
                        name=form.cleaned_data["applicant_name"],
                        id_number=form.cleaned_data["applicant_id_number"].strip(),
                        address=form.cleaned_data["applicant_address"],
                        phone=form.cleaned_data["applicant_phone"],
                        email=form.cleaned_data["applicant_email"],
                    ),
                    documents=[actions.ReceivedDocument(p) for p in form.cleaned_data["documents"]],
                    sets_count=form.cleaned_data["sets_count"],
                    at=timezone.now(),
                )
            except Refused as exc:
                form.add_error(None, exc.message)
            except actions.ActionError as exc:
                _discard_all(scans)
                form.add_action_error(exc)
            else:
                attach_scans(dossier, scans, user)
                messages.success(
                    request,
                    _("Dossier %(code)s received. Print the receipt for the applicant.")
                    % {"code": dossier.code},
                )
                return redirect("backoffice:dossier", code=dossier.code)
    return render(
        request,
        "backoffice/intake.html",
        {
            "form": form,
            "version": version,
            "unit": unit,
            "preview": _preview(unit, version),
            "scan_fields": [(p, name, field_name(p)) for p, name in choices]
            + [(None, _("Other papers"), field_name(None))],
        },
    )


def _discard_all(scans: Any) -> None:
    for _position, stored in scans:
        discard(stored)


def _preview(unit: Unit, version: ProcedureVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    now = timezone.now()
    cal = calendar_for(unit)
    try:
        due = cal.due(now, version.limit, cutoff=unit.intake_cutoff)
        start = cal.effective_start(now, cutoff=unit.intake_cutoff)
    except OutOfRange:
        return None
    return {
        "now": now,
        "start": start,
        "due": due,
        "deferred": start.date() != timezone.localdate(now),
    }


@login_required
def procedure_search(request: HttpRequest) -> HttpResponse:
    """Return the procedures matching what the officer types (an htmx fragment)."""
    needle = fold(request.GET.get("q", ""))
    versions = (
        ProcedureVersion.objects.published().select_related("procedure").order_by("procedure__code")
    )
    found = [
        v
        for v in versions
        if not needle or needle in fold(f"{v.procedure.code} {v.procedure.name}")
    ][:20]
    return render(request, "backoffice/partials/procedure_results.html", {"versions": found})


@login_required
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    """Show a dossier: applicant, documents, timeline, steps and the verbs the user may use."""
    dossier = get_dossier_for_user(current_user(request), code)
    if dossier is None:
        raise Http404(_("No dossier %(code)s within your units.") % {"code": code})
    now = timezone.now()
    # The dossier's and its steps' time left, in the one calendar the dossier is counted in.
    steps = [
        (step, _hours(timeliness.step_remaining(dossier, step, now)))
        for step in dossier.steps.select_related("agency", "finished_by", "assignee").order_by("id")
    ]
    papers = _papers(dossier)
    verbs = step_forms.page_verbs(
        current_user(request), dossier, allowed_verbs(current_user(request), dossier)
    )
    return render(
        request,
        "backoffice/dossier.html",
        {
            "d": dossier,
            "events": timeline(dossier),
            "steps": steps,
            "verbs": verbs,
            "remaining": _hours(timeliness.remaining(dossier, now)),
            "overdue": timeliness.is_overdue(dossier, now),
            "personal": masked_fields(dossier),
            "form": ActionForm(initial={"version": dossier.version}),
            "rating": getattr(dossier, "rating", None),
            "papers": papers,
            "can_print_receipt": any(form == "01" for form, _label, _doc in papers),
            **files_context(dossier),
            **fees_context(dossier),
            "notifications": notifications_of(dossier),
        },
    )


def timeline(dossier: Dossier) -> list[tuple[Any, str]]:
    """The dossier's events, each named by what it did (dossiers.steps.event_label)."""
    kinds = version_step_kinds(dossier)
    out = []
    for e in dossier.events.select_related("actor").order_by("seq"):
        position = e.payload.get("step") if isinstance(e.payload, dict) else None
        kind = (
            kinds[position - 1]
            if isinstance(position, int) and 0 < position <= len(kinds)
            else None
        )
        out.append((e, event_label(e.verb, e.payload or {}, kind)))
    return out


def _hours(delta: Any) -> float | None:
    return None if delta is None else delta.total_seconds() / 3600


@login_required
@require_http_methods(["GET", "POST"])
def dossier_action(request: HttpRequest, code: str, verb: str) -> HttpResponse:
    """Ask for what the law and the step require for one verb (and a confirmation when it
    cannot be undone), then perform it."""
    user = current_user(request)
    dossier = get_dossier_for_user(user, code)
    if dossier is None:
        raise Http404
    try:
        which = Verb(verb)
    except ValueError:
        raise Http404 from None
    form = step_forms.action_form(dossier, which, request.POST or None, request.FILES or None)
    asked = step_forms.asks(which, dossier)
    targets = transfer_targets(dossier) if which is Verb.TRANSFER else {}
    form.fields["competent_unit"].choices = [  # type: ignore[attr-defined]
        ("", "—"),
        *((pk, u.name) for pk, u in targets.items()),
    ]
    if (
        request.method == "POST"
        and form.is_valid()
        and not step_forms.confirmation_missing(form, which)
    ):
        files: list[Any] = []
        try:
            files = step_forms.admit_files(form, which, dossier, user)
            args = {
                "actor": user,
                "at": timezone.now(),
                "expected_version": form.cleaned_data["version"],
                **step_forms.params(form, which, dossier),
            }
            if which is Verb.TRANSFER:
                args["competent_unit"] = targets.get(form.cleaned_data.get("competent_unit") or 0)
            if files:
                actions.perform_with_files(which, dossier, files, **args)
            else:
                perform_and_issue(which, dossier, **args)
        except Refused as exc:
            form.add_error(next(f for f in asked if f in step_forms.FILE_FIELDS), exc.message)
        except (actions.ActionError, SigningError, PaperError) as exc:
            step_forms.discard_all(files)
            field = getattr(exc, "extra", {}).get("field")
            if field in asked or (field == "competent_unit" and which is Verb.TRANSFER):
                form.add_error(field, exc.message)
            else:
                messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Done: %(verb)s for dossier %(code)s.")
                % {
                    "verb": step_forms.verb_label(which, step_forms.step_kind(dossier)),
                    "code": code,
                },
            )
            return redirect("backoffice:dossier", code=code)
        if which not in allowed_verbs(user, Dossier.objects.get(pk=dossier.pk)):
            return redirect("backoffice:dossier", code=code)
    return render(
        request,
        "backoffice/action.html",
        {
            "d": dossier,
            "verb": which,
            "verb_label": step_forms.verb_label(which, step_forms.step_kind(dossier)),
            "form": form,
            "asks": asked,
            "needs_reason": TRANSITIONS[which].needs_reason,
            "confirm": which in IRREVERSIBLE,
            "multipart": any(f in step_forms.FILE_FIELDS for f in asked),
        },
    )


@login_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """Print view of the receipt and appointment slip (form 01) until the PDF arrives."""
    dossier = get_dossier_for_user(current_user(request), code)
    if dossier is None:
        raise Http404
    desk = dossier.receiving_unit.agencies.filter(
        kind__code="one_stop_desk", is_active=True
    ).first()
    # The slip is the applicant's copy and carries their full ID number, phone and address:
    # opening it is a reveal like any other, logged with its reason (ADR 9).
    reveal(
        current_user(request),
        dossier,
        list(PersonalField),
        reason=_("Printed the receipt and appointment slip (form 01) for the applicant."),
        at=timezone.now(),
        client_address=client_ip(request),
        channel="desk",
    )
    return render(request, "backoffice/receipt.html", {"d": dossier, "desk": desk})


@login_required
@require_http_methods(["GET", "POST"])
def rate_page(request: HttpRequest, code: str) -> HttpResponse:
    """A tablet page at the desk where the applicant rates the finished dossier."""
    dossier = get_dossier_for_user(current_user(request), code)
    if dossier is None:
        raise Http404
    done = Rating.objects.filter(dossier=dossier).first()
    error = ""
    if request.method == "POST" and done is None:
        try:
            done = rate(
                dossier,
                value=request.POST.get("value", ""),
                comment=request.POST.get("comment", ""),
                at=timezone.now(),
                channel=RatingChannel.DESK,
                actor=current_user(request),
            )
        except actions.ActionError as exc:
            error = exc.message
    return render(
        request,
        "backoffice/rate.html",
        {"d": dossier, "done": done, "error": error, "choices": Satisfaction.choices},
    )


@login_required
def paper(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """Serve an official paper of the dossier as PDF (rendered and stored the first time)."""
    dossier = get_dossier_for_user(current_user(request), code)
    if dossier is None:
        raise Http404
    try:
        which = Form(form)
    except ValueError:
        raise Http404 from None
    if which == Form.RESULT:
        if not has_electronic_result(dossier):
            raise Http404(_("This dossier has no electronic result."))
    elif which not in available_forms(dossier):
        raise Http404(_("This dossier has no such paper (online dossiers get no paper slips)."))
    try:
        document = issue(dossier, which, at=timezone.now())
    except (SigningError, PaperError) as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:dossier", code=code)
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-mau-{form}.pdf"'
    return response


def _papers(dossier: Dossier) -> list[tuple[str, str, Any]]:
    """The papers the dossier has: (form, label, stored document or None)."""
    # The control slip has a version per print that changed it: the latest one is listed.
    stored = {
        d.form: d
        for d in IssuedDocument.objects.filter(dossier=dossier)
        .defer("content")
        .order_by("created_at", "pk")
    }
    forms = available_forms(dossier)
    if has_electronic_result(dossier):
        forms.append(Form.RESULT)
    return [(f.value, str(f.label), stored.get(f.value)) for f in forms]


@login_required
def book_page(request: HttpRequest) -> HttpResponse:
    """Print the tracking book (form 07) of one of the user's units, as PDF or XLSX."""
    user = current_user(request)
    today = timezone.localdate()
    units = [u for u in served_units(request) if may_print_book(user, u)]
    former = former_book_units(user, today)
    if not units and not former:
        raise PermissionDenied(_("Your roles do not include printing the tracking book."))
    last_month_end = today.replace(day=1) - timedelta(days=1)
    error = ""
    if request.GET.get("start"):
        try:
            start = date.fromisoformat(request.GET["start"])
            end = date.fromisoformat(request.GET.get("end", ""))
            # One of the user's units, or a former unit they reach (ADR 23), in force on
            # some day of the period.
            unit = {str(u.pk): u for u in [*units, *former]}[request.GET.get("unit", "")]
            in_force = Unit.objects.filter(pk=unit.pk).in_force_between(start, end).exists()
            if start <= end and not in_force:
                raise KeyError(unit.pk)
            fmt = "xlsx" if request.GET.get("format") == "xlsx" else "pdf"
            query = BookQuery(unit, start, end, online_only=request.GET.get("channel") == "online")
            made = jobs.book_or_job(query, fmt, user=user, at=timezone.now())
            if isinstance(made, bytes):
                return book_response(made, fmt, unit.code, start, end)
            return redirect("backoffice:book_job", job_id=made.pk)
        except KeyError:
            error = _("Choose one of your units that was in force during the period.")
        except ValueError:
            error = _(
                "Check the dates: both are needed and the period must not end before it starts."
            )
        except BookError as exc:
            error = str(exc)
    return render(
        request,
        "backoffice/book.html",
        {
            "units": [(u.pk, u.name) for u in units],
            "former": [(u.pk, in_force_label(u)) for u in former],
            "start": last_month_end.replace(day=1),
            "end": last_month_end,
            "error": error,
        },
    )


def _own_job(request: HttpRequest, job_id: str) -> Any:

    job = owned_job(job_id, current_user(request))
    if job is None:
        raise Http404(_("No such tracking book job."))
    return job


@login_required
@require_http_methods(["GET", "POST"])
def book_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """Progress of a large tracking book; htmx polls the fragment until the file is ready."""
    job = _own_job(request, job_id)
    if request.method == "POST":
        if job.status == JobStatus.FAILED or jobs.is_stale(job, timezone.now()):
            jobs.retry(job)
        return redirect("backoffice:book_job", job_id=job.pk)
    context = {
        "job": job,
        "percent": job.progress // 10,
        "stale": jobs.is_stale(job, timezone.now()),
        "working": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "backoffice/book_job_status.html", context)
    return render(request, "backoffice/book_job.html", context)


@login_required
def book_job_file(request: HttpRequest, job_id: str) -> HttpResponse:

    job = _own_job(request, job_id)
    if not may_print_book(current_user(request), job.unit):
        raise PermissionDenied(_("Your roles do not include printing the tracking book."))
    content = finished_file(job)
    if content is None:
        raise Http404(_("The book is not ready yet."))
    return book_response(content, job.format, job.unit.code, job.start, job.end)
