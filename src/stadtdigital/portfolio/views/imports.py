"""Back office import and export of the portfolio as CSV/XLSX."""

urlpatterns = []
