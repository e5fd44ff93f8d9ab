"""Local assistance learnt from the city's own reports: category suggestions and likely duplicates.

Nothing leaves the installation: the model is trained here (scikit-learn), stored in the database
(`AssistModel`) and used in the request. See docs/decisions/0027-local-category-suggestions.md.
"""
