from stadtdigital.core import kpis


def test_registry_finds_the_reports_provider_for_the_configured_slug(settings):
    settings.REPORTS_PORTFOLIO_PROJECT_SLUG = "mein-maengelmelder"
    assert "mein-maengelmelder" in kpis.project_slugs_with_live_kpis()
    assert kpis.live_kpis_for("ein-anderes-projekt") == []


def test_default_slug_is_the_demo_project(settings):
    from stadtdigital.core.text import german_slugify
    from stadtdigital.reports.kpis import DEFAULT_PROJECT_SLUG

    assert german_slugify("Reallabor Anliegenmanagement: Online-Mängelmelder") == DEFAULT_PROJECT_SLUG
