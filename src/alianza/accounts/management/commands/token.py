"""`alianza token create USERNAME [--name N] [--otp CODE]`, `alianza token list USERNAME`,
`alianza token revoke PREFIX`.

Creating a token is an operator's action, but for a user whose role or agency requires TOTP it
also needs the user: they must have set up two-factor authentication (a confirmed device) and
give a current code from it (`--otp`), since the token will act for them with no second factor.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from alianza.accounts.models import ApiToken
from alianza.accounts.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="create a token and print it (shown once)")
        create.add_argument("username")
        create.add_argument("--name", default="")
        create.add_argument(
            "--otp",
            default="",
            metavar="CODE",
            help="a current code from the user's authenticator app (required for roles that "
            "must use two-factor authentication)",
        )
        listing = sub.add_parser("list", help="list a user's tokens")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def _user(self, username):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"no user named {username!r}") from exc

    def handle(self, *args, **options):
        match options["subcommand"]:
            case "create":
                try:
                    _row, token = api_token_create(
                        actor=None,
                        user=self._user(options["username"]),
                        name=options["name"],
                        otp_code=options["otp"],
                    )
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
                self.stdout.write(token)
            case "list":
                for row in ApiToken.objects.filter(user=self._user(options["username"])):
                    state = "revoked" if row.revoked_at else "active"
                    self.stdout.write(
                        f"{row.prefix}  {state}  {row.name}  {row.created_at:%Y-%m-%d}"
                    )
            case "revoke":
                rows = list(ApiToken.objects.filter(prefix=options["prefix"]))
                if len(rows) != 1:
                    raise CommandError(f"{len(rows)} tokens have prefix {options['prefix']!r}")
                api_token_revoke(actor=None, token=rows[0])
                self.stdout.write(f"revoked {rows[0].prefix}")
