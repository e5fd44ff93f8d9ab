"""Single sign-on with OpenID Connect: the provider's claims decide a user's roles and departments.

Settings (README): OIDC_ROLE_CLAIM and OIDC_ROLE_MAP ("provider-group=Rolle;..."), OIDC_SUPERUSER_GROUPS,
OIDC_DEPARTMENT_CLAIM and OIDC_DEPARTMENT_MAP ("provider-group=department-slug;..."). Every sign-in
replaces the user's roles and departments with what the claims say now, so a user removed from a group at
the provider loses the role at the next sign-in. Groups that are not roles are left alone.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from stadtdigital.core.accounts.security_log import log
from stadtdigital.core.models import Department
from stadtdigital.core.roles import ROLE_DESCRIPTIONS


def claim_values(claims: dict, name: str) -> set[str]:
    """A claim as a set of strings: providers send a list, a single string or nothing."""
    value = claims.get(name) if name else None
    if value is None:
        return set()
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {str(item) for item in value}
    return {str(value)}


def roles_from_claims(claims: dict) -> set[str]:
    provider_groups = claim_values(claims, settings.OIDC_ROLE_CLAIM)
    return {
        role
        for group, role in settings.OIDC_ROLE_MAP.items()
        if group in provider_groups and role in ROLE_DESCRIPTIONS
    }


def department_slugs_from_claims(claims: dict) -> set[str]:
    provider_groups = claim_values(claims, settings.OIDC_DEPARTMENT_CLAIM)
    mapping = settings.OIDC_DEPARTMENT_MAP
    return {mapping[group] for group in provider_groups if group in mapping}


def is_superuser_by_claims(claims: dict) -> bool:
    return bool(set(settings.OIDC_SUPERUSER_GROUPS) & claim_values(claims, settings.OIDC_ROLE_CLAIM))


@transaction.atomic
def apply_claims(user, claims: dict) -> None:
    """Roles, departments, superuser flag and name from the claims, replacing what the user had."""
    user.email = claims.get("email", user.email) or ""
    user.first_name = (claims.get("given_name") or user.first_name)[:150]
    user.last_name = (claims.get("family_name") or user.last_name)[:150]
    if settings.OIDC_SUPERUSER_GROUPS:
        user.is_superuser = user.is_staff = is_superuser_by_claims(claims)
    user.save()
    roles = roles_from_claims(claims)
    user.groups.remove(*Group.objects.filter(name__in=ROLE_DESCRIPTIONS).exclude(name__in=roles))
    user.groups.add(*Group.objects.filter(name__in=roles))
    user.departments.set(Department.objects.filter(slug__in=department_slugs_from_claims(claims)))
    log.info(
        "sso claims applied: username=%r roles=%s departments=%s",
        user.get_username(),
        sorted(roles),
        sorted(department_slugs_from_claims(claims)),
    )


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """Users are matched by the username claim (OIDC_USERNAME_CLAIM, default preferred_username)."""

    def get_username(self, claims):
        return claims.get(settings.OIDC_USERNAME_CLAIM) or claims["sub"]

    def filter_users_by_claims(self, claims):
        username = claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("sub")
        if not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username=username)

    def verify_claims(self, claims):
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("sub"))

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(self.get_username(claims))
        user.set_unusable_password()
        apply_claims(user, claims)
        return user

    def update_user(self, user, claims):
        apply_claims(user, claims)
        return user
