"""/healthz and /readyz for load balancers and monitors; /metrics for Prometheus."""

from bazaar.health.views import bp

__all__ = ["bp"]
