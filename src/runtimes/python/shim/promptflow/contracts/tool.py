"""promptflow.contracts.tool: the enums tools and package tool metadata use."""

from enum import Enum


class ValueType(str, Enum):
    INT = "int"
    DOUBLE = "double"
    BOOL = "bool"
    STRING = "string"
    SECRET = "secret"
    PROMPT_TEMPLATE = "prompt_template"
    LIST = "list"
    OBJECT = "object"
    FILE_PATH = "file_path"
    IMAGE = "image"
    ASSISTANT_DEFINITION = "assistant_definition"


class ToolType(str, Enum):
    LLM = "llm"
    PYTHON = "python"
    CSHARP = "csharp"
    PROMPT = "prompt"
    CUSTOM_LLM = "custom_llm"
    CSHARP_LLM = "csharp_llm"


class ConnectionType(str, Enum):
    AZURE_OPEN_AI = "AzureOpenAIConnection"
    OPEN_AI = "OpenAIConnection"
    CUSTOM = "CustomConnection"
    SERP = "SerpConnection"
    COGNITIVE_SEARCH = "CognitiveSearchConnection"
    AZURE_CONTENT_SAFETY = "AzureContentSafetyConnection"
