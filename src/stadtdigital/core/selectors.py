from stadtdigital.core.models import Department, SyntheticDataMarker


def synthetic_data_present() -> bool:
    return SyntheticDataMarker.objects.exists()


def departments_of(user):
    if not user.is_authenticated:
        return Department.objects.none()
    return user.departments.all()
