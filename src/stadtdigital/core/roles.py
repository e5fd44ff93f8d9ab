"""Staff roles, kept as Django groups so a city can assign them in the admin or back office."""

from django.utils.translation import gettext_lazy as _

DIGITAL_OFFICE = "Digitalisierungsbüro"
DEPARTMENT_STAFF = "Fachbereich"
READ_ONLY = "Lesezugriff"
LEITSTELLE = "Leitstelle"

# Group names stay German (they are data in the database); pages show these labels.
ROLE_LABELS = {
    DIGITAL_OFFICE: _("Digitalisierungsbüro"),
    DEPARTMENT_STAFF: _("Fachbereich"),
    READ_ONLY: _("Lesezugriff"),
    LEITSTELLE: _("Leitstelle"),
}

ROLE_DESCRIPTIONS = {
    DIGITAL_OFFICE: _("bearbeitet das gesamte Projektportfolio und veröffentlicht den Bericht"),
    DEPARTMENT_STAFF: _("bearbeitet die Projekte der eigenen Fachbereiche"),
    READ_ONLY: _("sieht die Verwaltung, ändert nichts"),
    LEITSTELLE: _("sieht und bearbeitet alle Anliegen aller Fachbereiche"),
}


def ensure_role_groups(**kwargs):
    from django.contrib.auth.models import Group

    for name in ROLE_DESCRIPTIONS:
        Group.objects.get_or_create(name=name)


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=role).exists()


def is_staff_member(user) -> bool:
    """Anyone allowed into /verwaltung/: a superuser or a holder of any role."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=list(ROLE_DESCRIPTIONS)).exists()


def is_digital_office(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, DIGITAL_OFFICE))
