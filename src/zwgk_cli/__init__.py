"""zwgk: track the work plans that district and county governments issue as tables."""

__version__ = "0.1.0"
