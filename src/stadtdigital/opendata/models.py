from django.db import models


class DownloadSize(models.Model):
    """The size in bytes of a whole download (no period filter) at one version of its data.

    Streamed downloads do not know their size in advance; it is recorded whenever one is produced in full
    (a download that finishes, the export command, the daily refresh) and shown on /opendata/ and as
    dcat:byteSize while the version (ETag) is current.
    """

    dataset = models.CharField(max_length=100)
    format = models.CharField(max_length=10)
    version = models.CharField(max_length=64)
    byte_size = models.PositiveBigIntegerField()
    row_count = models.PositiveBigIntegerField(null=True, blank=True)
    measured_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "format"], name="downloadsize_unique")]

    def __str__(self):
        return f"{self.dataset}.{self.format}: {self.byte_size} B"


class DataChange(models.Model):
    """When the data behind a dataset last changed, as seen by signals (services.watch_changes).

    Source rows without a timestamp of their own (a renamed field of action, a deleted milestone or
    project) would otherwise change a download without changing its Last-Modified and ETag.
    """

    dataset = models.CharField(max_length=100, unique=True)
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.dataset}: {self.changed_at}"
