"""Tasks used by the jobs tests (task functions must live at module level)."""

from django_tasks import task


@task()
def flaky(name: str, attempt: int = 1) -> str:
    """A task following the retry convention: it takes the attempt number."""
    return f"{name} {attempt}"


@task()
def tick_probe() -> None:
    """A periodic task that does nothing."""
