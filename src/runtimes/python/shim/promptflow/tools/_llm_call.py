"""promptflow's llm tool functions (`aoai.chat`, `openai.completion`, ...) called from python code:
the prompt template becomes a .prompty (JSON front matter, the template as its body) run by the
engine through the Prompty call-back, so the model port, connections, recordings and traces are the
flow's. A named connection is referred to by name; an unnamed one goes inline in the call (its key
is never written to the file)."""

import hashlib
import json
import os
import tempfile

from flowops_context import call_prompty

# promptflow's defaults for these parameters: left out of the request when unchanged.
_DEFAULTS = {
    "temperature": 1.0,
    "top_p": 1.0,
    "n": 1,
    "stream": False,
    "stop": None,
    "max_tokens": None,
    "presence_penalty": 0,
    "frequency_penalty": 0,
    "logit_bias": {},
    "user": "",
    "function_call": None,
    "functions": None,
    "tools": None,
    "tool_choice": None,
    "response_format": None,
    "seed": None,
    "suffix": None,
    "logprobs": None,
    "echo": False,
    "best_of": 1,
}


def _input_type(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "string"


def _configuration(connection, azure, deployment):
    kind = "azure_openai" if azure else "openai"
    target = {"azure_deployment": deployment} if azure else {"model": deployment}
    name = getattr(connection, "name", None)
    if name:
        return {"type": kind, "connection": name, **target}, None
    if azure:
        inline = {"azure_endpoint": getattr(connection, "api_base", None), "api_key": getattr(connection, "api_key", None),
                  "api_version": getattr(connection, "api_version", None)}
    else:
        inline = {"base_url": getattr(connection, "base_url", None), "api_key": getattr(connection, "api_key", None),
                  "organization": getattr(connection, "organization", None)}
    return {"type": kind, **target}, {"configuration": {"type": kind, **target, **{k: v for k, v in inline.items() if v}}}


def run_llm(api, connection, prompt, azure, deployment, parameters, template_inputs):
    """`parameters`: the calling tool function's arguments (its `locals()`); of these, the llm
    parameters promptflow knows (_DEFAULTS) go in the request when they differ from its default."""
    if connection is None:
        raise ValueError("the llm tool needs a connection (an AzureOpenAIConnection or OpenAIConnection)")
    configuration, override = _configuration(connection, azure, deployment)
    chosen = {k: v for k, v in parameters.items() if k in _DEFAULTS and v != _DEFAULTS[k]}
    front = {
        "model": {"api": api, "configuration": configuration, "parameters": chosen},
        "inputs": {name: {"type": _input_type(value)} for name, value in template_inputs.items()},
    }
    text = "---\n" + json.dumps(front) + "\n---\n" + str(prompt)
    return call_prompty(_prompt_file(text), dict(template_inputs), model=override)


def _prompt_file(text):
    """The .prompty holding `text`, named by its hash in a folder of this user's own (mode 700); a file
    there whose content differs is rewritten, so nothing else can stand in for the prompt."""
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    folder = os.path.join(tempfile.gettempdir(), f"flowops-llm-tool-prompts-{uid}")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    if hasattr(os, "getuid") and os.stat(folder).st_uid != uid:
        folder = _private_folder()
    path = os.path.join(folder, hashlib.sha256(text.encode("utf-8")).hexdigest()[:24] + ".prompty")
    try:
        with open(path, encoding="utf-8") as handle:
            if handle.read() == text:
                return path
    except OSError:
        pass
    staged = f"{path}.{os.getpid()}.tmp"
    with open(staged, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(staged, path)
    return path


_private = []


def _private_folder():
    """A folder only this process made, when the usual one belongs to someone else."""
    if not _private:
        _private.append(tempfile.mkdtemp(prefix="flowops-llm-tool-prompts-"))
    return _private[0]
