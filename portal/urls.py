"""The public side's addresses, at the site's root (config/urls.py includes them).

These names are stable; other apps and helpers link to them: portal:home (/),
portal:procedures (/thu-tuc/), portal:procedure and portal:procedure_print
(/thu-tuc/<code>/, /thu-tuc/<code>/in/), portal:form_template, portal:lookup (/tra-cuu/),
portal:status (/tra-cuu/<code>/), portal:result, portal:manifest, portal:service_worker,
portal:offline. Citizen accounts live under /tai-khoan/ and online filing under
/nop-ho-so/<code>/ (other apps).
"""

from django.urls import path

from portal import app, catalogue, lookup

app_name = "portal"

urlpatterns = [
    path("", catalogue.home, name="home"),
    path("thu-tuc/", catalogue.procedures, name="procedures"),
    path("thu-tuc/<str:code>/", catalogue.procedure, name="procedure"),
    path("thu-tuc/<str:code>/in/", catalogue.procedure_print, name="procedure_print"),
    path("thu-tuc/<str:code>/mau/<int:position>/", catalogue.form_template, name="form_template"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", lookup.status, name="status"),
    path("tra-cuu/<str:code>/ket-qua.pdf", lookup.result, name="result"),
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("sw.js", app.service_worker, name="service_worker"),
    path("offline/", app.offline, name="offline"),
]
