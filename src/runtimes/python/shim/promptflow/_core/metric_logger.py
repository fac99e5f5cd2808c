from flowops_context import log_metric as _log_metric


def log_metric(key, value, variant_id=None):
    """promptflow's log_metric: records an aggregation metric for the run."""
    _log_metric(key, value, variant_id)
