"""Who receives a report: the body responsible for its place and category, else the category's target,
else its department's target; None when nothing is configured (the back office is the system).

Areas are matched by point-in-polygon (`areas.py`): an area for the report's category wins over an
area for all categories; among several, the smallest (by bounding box) wins."""

from stadtdigital.reports.models import CategorySending, SendTarget


def category_target(category) -> SendTarget | None:
    setting = CategorySending.objects.filter(category=category).select_related("target").first()
    if setting and setting.target.is_active:
        return setting.target
    target = SendTarget.objects.filter(department_id=category.department_id, is_active=True).first()
    return target


def target_for(report) -> SendTarget | None:
    from stadtdigital.reports.sending.areas import area_for

    area = area_for(report.lat, report.lon, report.category_id)
    if area is not None:
        if area.target_id and area.target.is_active:
            return area.target
        if area.department_id:
            return SendTarget.objects.filter(department_id=area.department_id, is_active=True).first()
    return category_target(report.category)
