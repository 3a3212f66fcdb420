from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from measures.agencies import agency_create
from measures.models import Agency


class Command(BaseCommand):
    help = (
        "Add an agency to the portal with its divisions and its first coordinator, and print the "
        "link where the coordinator sets their password."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the agency's URL slug, e.g. mueang-phalai")
        parser.add_argument("--name", required=True, help="full name")
        parser.add_argument("--short-name", required=True, help="short name, e.g. อบต.เมืองพะไล")
        parser.add_argument("--kind", required=True, choices=Agency.Kind.values)
        parser.add_argument("--province", default="", help="none for a national body")
        parser.add_argument("--district", default="")
        parser.add_argument(
            "--division", action="append", default=[], help="a division; repeat for each"
        )
        parser.add_argument("--coordinator", required=True, help="the coordinator's username")
        parser.add_argument("--email", required=True, help="the coordinator's e-mail address")
        parser.add_argument(
            "--base-url",
            default="",
            help="the portal's address, e.g. https://ita.example.go.th, put before the link",
        )

    def handle(self, *args, slug, short_name, coordinator, division, base_url, **options):
        try:
            membership = agency_create(
                slug=slug,
                name=options["name"],
                short_name=short_name,
                kind=options["kind"],
                province=options["province"],
                district=options["district"],
                divisions=division,
                coordinator=coordinator,
                email=options["email"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user = membership.user
        link = base_url.rstrip("/") + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        self.stdout.write(
            _("Created %(agency)s with %(count)d divisions and its coordinator %(username)s.")
            % {"agency": membership.agency, "count": len(division), "username": user.username}
        )
        self.stdout.write(
            _("The coordinator sets their password at this link (it works once): %(link)s")
            % {"link": link}
        )
