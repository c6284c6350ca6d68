"""Make an interviewer account: `manage.py createinterviewer NAME` (prompts for the password)."""
import getpass
import secrets

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create an interviewer account (it can sign in, create interviews and see its dashboard)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="the password (default: ask; with --no-input, generate one)")
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_true", help="do not prompt; print a generated password")

    def handle(self, *args, username, password=None, email="", no_input=False, **options):
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            raise CommandError(f"an account named {username!r} already exists")
        generated = False
        if password is None:
            if no_input:
                password, generated = secrets.token_urlsafe(12), True
            else:
                password = getpass.getpass("Password: ")
                if password != getpass.getpass("Password (again): "):
                    raise CommandError("the passwords differ")
        user = users(username=username, email=email)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        user.set_password(password)
        user.save()
        self.stdout.write(f"interviewer {username!r} created" + (f"; password: {password}" if generated else ""))
