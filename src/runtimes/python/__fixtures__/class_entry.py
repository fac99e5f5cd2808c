from promptflow.connections import CustomConnection
from promptflow.core import AzureOpenAIModelConfiguration

CREATED = []


class Counter:
    def __init__(self, unit: str = "words", conn: CustomConnection = None):
        CREATED.append(unit)
        self.unit = unit
        self.source = conn.source if conn else None

    def __call__(self, text: str) -> dict:
        return {"label": f"{len(text.split())} {self.unit}", "instances": len(CREATED), "source": self.source}


class Configured:
    def __init__(self, model_config: AzureOpenAIModelConfiguration):
        self.model_config = model_config

    def __call__(self) -> dict:
        return {"kind": type(self.model_config).__name__, "deployment": self.model_config.azure_deployment}
