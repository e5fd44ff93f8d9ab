"""Static files from XStatic packages (e.g. Leaflet) without copying them into the repository.

Settings: STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "stadtdigital.core.staticfinders.XStaticFinder",
]
Then `{% static 'vendor/leaflet/leaflet.js' %}` works with runserver, WhiteNoise and collectstatic.
"""

import importlib
import os

from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

# static prefix -> XStatic module whose BASE_DIR holds the files
PACKAGES = {
    "vendor/leaflet": "xstatic.pkg.leaflet",
}


class XStaticFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storages = {}
        for prefix, module_name in PACKAGES.items():
            try:
                module = importlib.import_module(module_name)
            except ImportError:  # the package is optional for collectstatic on a machine without it
                continue
            storage = FileSystemStorage(location=module.BASE_DIR)
            storage.prefix = prefix
            self.storages[prefix] = storage

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        matches = []
        for prefix, storage in self.storages.items():
            if not path.startswith(prefix + "/"):
                continue
            relative = path[len(prefix) + 1 :]
            if ".." in relative.split("/"):
                continue
            full = os.path.join(storage.location, relative)
            if os.path.isfile(full):
                if not find_all:
                    return full
                matches.append(full)
        return matches

    def list(self, ignore_patterns):
        for storage in self.storages.values():
            for path in utils.get_files(storage, ignore_patterns):
                yield path, storage
