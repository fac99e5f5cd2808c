"""promptflow.tools.aoai: `chat` and `completion` against an Azure OpenAI connection."""

from promptflow.tools._llm_call import run_llm


def chat(connection, prompt, deployment_name="", temperature=1.0, top_p=1.0, n=1, stream=False, stop=None,
         max_tokens=None, presence_penalty=0, frequency_penalty=0, logit_bias={}, user="", function_call=None,
         functions=None, response_format=None, seed=None, tools=None, tool_choice=None, **kwargs):
    return run_llm("chat", connection, prompt, True, deployment_name, locals(), kwargs)


def completion(connection, prompt, deployment_name="", suffix=None, max_tokens=16, temperature=1.0, top_p=1.0,
               n=1, stream=False, logprobs=None, echo=False, stop=None, presence_penalty=0, frequency_penalty=0,
               best_of=1, logit_bias={}, user="", **kwargs):
    return run_llm("completion", connection, prompt, True, deployment_name, locals(), kwargs)
