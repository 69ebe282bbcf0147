"""The installable app: the web app manifest, the service worker and the offline page.

The service worker is served from the root (its scope is the whole site) and keeps only the
app shell and the public catalogue; docs/adr/0013-lookup-without-pin-in-url.md says why it can
never hold a page with someone's dossier.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME = "#a3141c"


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """/manifest.webmanifest: name, colours and icons for installing the portal as an app."""
    body = {
        "name": f"{_('Electronic one-stop service')} — {settings.PORTAL_PROVINCE_NAME}",
        "short_name": _("One-stop service"),
        "description": settings.PORTAL_UNIT_NAME,
        "lang": "vi",
        "dir": "ltr",
        "start_url": reverse("portal:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            *(
                {
                    "src": static(f"portal/icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "any",
                }
                for size in (192, 512)
            ),
            {
                "src": static("portal/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js from the root: its cache name changes whenever the shell's addresses change."""
    shell = [
        reverse("portal:offline"),
        static("backoffice/app.css"),
        static("portal/portal.css"),
        static("portal/portal.js"),
        static(settings.PORTAL_EMBLEM),
        static("portal/icon-192.png"),
    ]
    text = render_to_string(
        "portal/sw.js", {"shell": json.dumps(shell), "offline": json.dumps(shell[0])}
    )
    version = hashlib.sha256(text.encode()).hexdigest()[:12]
    response = HttpResponse(
        text.replace("__VERSION__", version),
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    # The browser checks for a new worker on every visit; never serve it from a cache.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows when the server cannot be reached."""
    return render(request, "portal/offline.html")
