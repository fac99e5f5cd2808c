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

    @property
    def tool_invoker(self):
        """The invoker of the definition's tools (set when a node receives the definition), as promptflow's."""
        if self._tool_invoker is None:
            self._tool_invoker = self.init_tool_invoker()
        return self._tool_invoker

    def init_tool_invoker(self, working_dir=None, connections=None):
        """The definition's python tools, loaded from `working_dir` (the flow folder) with their predefined inputs."""
        from promptflow.executor._assistant_tool_invoker import AssistantToolInvoker

        return AssistantToolInvoker.init(self, working_dir=working_dir, connections=connections)
