from stadtdigital.core.models import SyntheticDataMarker


def synthetic_data_present() -> bool:
    return SyntheticDataMarker.objects.exists()
