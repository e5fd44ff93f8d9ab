from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_dailyjobrun_ratecounter"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                ("worker_id", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("seen_at", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
