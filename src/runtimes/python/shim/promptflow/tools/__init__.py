"""promptflow.tools for flowops: the built-in LLM tools as functions python code can call
(`from promptflow.tools.aoai import chat`). They run through the flowops engine like a Prompty."""
