"""promptflow.contracts.types: marker types for tool parameters, and assistant definitions."""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


class Secret(str):
    """A string that is a secret (a strong-type connection field)."""


class PromptTemplate(str):
    """A string that is a prompt template (a tool's Jinja2 input)."""


class FilePath(str):
    """A string that is a file path."""


@dataclass
class AssistantDefinition:
    """An assistant: model, instructions and tools, as promptflow's assistant tools read it."""

    model: str = ""
    instructions: str = ""
    tools: List[Dict[str, Any]] = field(default_factory=list)
    _tool_invoker: Optional[Any] = field(default=None, repr=False)

    @staticmethod
    def deserialize(data: dict) -> "AssistantDefinition":
        return AssistantDefinition(
            model=data.get("model", ""), instructions=data.get("instructions", ""), tools=data.get("tools", [])
        )

    def serialize(self):
        return {"model": self.model, "instructions": self.instructions, "tools": self.tools}

    def to_dict(self):
        return self.serialize()

    def init_tool_invoker(self):
        raise NotImplementedError(
            "AssistantDefinition.init_tool_invoker needs promptflow's assistant tool runtime, which flowops does not "
            "provide: call the assistant's tools from your own code, or install promptflow in the flow's environment."
        )
