"""Say which languages run on the server's sandboxed runners here, or why none do (./start-dev.sh)."""
from django.core.management.base import BaseCommand

from sessions_app.runner import toolchains
from sessions_app.runner.availability import SERVER_LANGUAGES

INSTALL = "apt-get install bubblewrap default-jdk-headless golang-go rustc mono-mcs mono-runtime kotlin"


class Command(BaseCommand):
    help = "List the server-side languages this machine's sandbox and toolchains can run."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="exit 1 when none can run")

    def handle(self, *args, check=False, **options):
        available = toolchains.available()
        names = {language: toolchains.TOOLCHAINS[language].name for language in SERVER_LANGUAGES}
        if available:
            listed = ", ".join(f"{names[lang]} ({version})" for lang, version in available.items())
            self.stdout.write(f"server-side languages, each run in a bubblewrap sandbox: {listed}")
            missing = [names[lang] for lang in SERVER_LANGUAGES if lang not in available]
            if missing:
                self.stdout.write(f"not installed here: {', '.join(missing)} ({INSTALL})")
        else:
            self.stdout.write(
                "no server-side languages: no working bubblewrap sandbox or toolchains here; "
                f"{', '.join(names.values())} will say why they cannot run (to run them: {INSTALL})"
            )
        if check and not available:
            raise SystemExit(1)
