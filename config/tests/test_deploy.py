"""The production settings documented in .env.example pass Django's deployment check."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env() -> dict[str, str]:
    """Return the variables between the `>>> production` and `<<< production` markers."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    block = text.split("# >>> production", 1)[1].split("# <<< production", 1)[0]
    return dict(re.findall(r"^# ([A-Z_]+)=(.*)$", block, flags=re.M))


def test_check_deploy_has_no_warning_with_the_production_settings() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    values = production_env()
    assert values["SECURE_HSTS_SECONDS"] == "31536000"
    assert values["CONFIRMATION_CODES_IN_LOG"] == "false"
    env.update(values)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_default_settings_are_not_production_ready() -> None:
    # The check would catch a deployment that forgot the block: the defaults do warn.
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "security.W004" in done.stderr + done.stdout  # HSTS


def test_confirmation_codes_in_the_log_fail_the_deployment_check() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(production_env())
    env["CONFIRMATION_CODES_IN_LOG"] = "true"
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "citizens.W001" in done.stderr + done.stdout
