"""Production readiness of the web service: structured logs with request ids, Prometheus
metrics, security headers and rate limits (README, "Operations").

Only the light modules are re-exported here, so that app.problems may use the request id;
create_app calls app.observability.install.install_observability.
"""

from app.observability.client_address import client_ip
from app.observability.json_logs import JsonFormatter, logging_config
from app.observability.request_context import current_request, note_workspace

__all__ = ["JsonFormatter", "client_ip", "current_request", "logging_config", "note_workspace"]
