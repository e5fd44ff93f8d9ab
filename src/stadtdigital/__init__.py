"""stadtdigital: the software behind a German city's digital programme."""

__version__ = "0.1.0"
