class MetricLoggerManager:
    _instance = None

    def __init__(self):
        self._metric_loggers = []

    @staticmethod
    def get_instance():
        if MetricLoggerManager._instance is None:
            MetricLoggerManager._instance = MetricLoggerManager()
        return MetricLoggerManager._instance

    def log_metric(self, key, value, variant_id=None):
        for logger in self._metric_loggers:
            logger(key, value, variant_id)

    def add_metric_logger(self, logger_func):
        self._metric_loggers.append(logger_func)


def log_metric(key, value, variant_id=None):
    MetricLoggerManager.get_instance().log_metric(key, value, variant_id)


def add_metric_logger(logger_func):
    MetricLoggerManager.get_instance().add_metric_logger(logger_func)
