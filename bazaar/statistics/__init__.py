"""The agreed statistics: figures with definitions, exports, and published snapshots."""

from bazaar.statistics.views import bp

__all__ = ["bp"]
