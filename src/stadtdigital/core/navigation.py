"""What each domain app contributes to the shared page frame, so core never names another app.

An app's AppConfig may declare:
- `public_navigation`: NavEntry items for the header of every page;
- `landing_cards`: template names included on the landing page (one card each);
- `easy_language_sections`: template names included on /leichte-sprache/ (a section in Leichte Sprache);
- `backoffice_cards`: template names included on the back office start page (the template sees `user`).
"""

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    path_prefix: str  # the entry is marked as the current page for every path below this prefix
    position: int = 100


def public_navigation() -> list[NavEntry]:
    entries = [
        entry for config in apps.get_app_configs() for entry in getattr(config, "public_navigation", ())
    ]
    return sorted(entries, key=lambda entry: entry.position)


def landing_cards() -> list[str]:
    return [name for config in apps.get_app_configs() for name in getattr(config, "landing_cards", ())]


def backoffice_cards() -> list[str]:
    return [name for config in apps.get_app_configs() for name in getattr(config, "backoffice_cards", ())]


def easy_language_sections() -> list[str]:
    return [
        name for config in apps.get_app_configs() for name in getattr(config, "easy_language_sections", ())
    ]
