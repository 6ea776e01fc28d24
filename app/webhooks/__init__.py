"""The webhook delivery worker: in the web process by default, or `opsmaturity worker`."""

from app.webhooks.delivery_worker import DeliveryWorker, start_in_process_worker

__all__ = ["DeliveryWorker", "start_in_process_worker"]
