"""Settings for the P1 benchmark server: the project's own, plus the baseline endpoint."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.p1_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
