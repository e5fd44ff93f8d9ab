import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """When a category or question last changed: Open311 discovery's `changeset` (docs/decisions/0017)."""

    dependencies = [
        ("reports", "0003_open311_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="zuletzt geändert"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="categoryquestion",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="zuletzt geändert"
            ),
            preserve_default=False,
        ),
    ]
