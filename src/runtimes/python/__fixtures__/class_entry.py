from promptflow.connections import CustomConnection

CREATED = []


class Counter:
    def __init__(self, unit: str = "words", conn: CustomConnection = None):
        CREATED.append(unit)
        self.unit = unit
        self.source = conn.source if conn else None

    def __call__(self, text: str) -> dict:
        return {"label": f"{len(text.split())} {self.unit}", "instances": len(CREATED), "source": self.source}
