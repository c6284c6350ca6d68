"""Which languages run on the server right now, and why not when they cannot."""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Runner
from . import toolchains

SERVER_LANGUAGES = ("java", "go", "rust", "csharp", "kotlin")
SERVER_LANGUAGE_CHOICES = [(language, language) for language in SERVER_LANGUAGES]
SEEN_WITHIN = timedelta(seconds=10)  # a runner notes it is alive every 2 s (worker.RUNNER_BEAT)


def server_languages() -> dict[str, str]:
    """{language: toolchain version} of the languages some runner can run now.

    With the runner in this process, its toolchains; otherwise what runner workers
    noted in the database within the last few seconds.
    """
    if settings.PAD_RUNNER["IN_PROCESS"]:
        return toolchains.available()
    found: dict[str, str] = {}
    for languages in Runner.objects.filter(seen_at__gte=timezone.now() - SEEN_WITHIN).values_list(
        "languages", flat=True
    ):
        for language, version in (languages or {}).items():
            found.setdefault(language, version)
    return found


def unavailable_reason(language: str) -> str:
    """Why a server language cannot run now (shown by its disabled Run button)."""
    if settings.PAD_RUNNER["IN_PROCESS"]:
        if not toolchains.available():
            return "this server has no sandbox for server-side runs (install bubblewrap and the toolchains)"
        return f"this server has no {toolchains.TOOLCHAINS[language].name} toolchain installed"
    if not Runner.objects.filter(seen_at__gte=timezone.now() - SEEN_WITHIN).exists():
        return "no server runner is running (start one with: manage.py runworker --layer runners pad-runner)"
    return f"no running runner has the {toolchains.TOOLCHAINS[language].name} toolchain"
