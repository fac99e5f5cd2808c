"""promptflow.tools.openai: `chat` and `completion` against an OpenAI connection."""

from promptflow.tools._llm_call import run_llm


def chat(connection, prompt, model="gpt-3.5-turbo", temperature=1.0, top_p=1.0, n=1, stream=False, stop=None,
         max_tokens=None, presence_penalty=0, frequency_penalty=0, logit_bias={}, user="", function_call=None,
         functions=None, response_format=None, seed=None, tools=None, tool_choice=None, **kwargs):
    parameters = dict(temperature=temperature, top_p=top_p, n=n, stream=stream, stop=stop, max_tokens=max_tokens,
                      presence_penalty=presence_penalty, frequency_penalty=frequency_penalty, logit_bias=logit_bias,
                      user=user, function_call=function_call, functions=functions, response_format=response_format,
                      seed=seed, tools=tools, tool_choice=tool_choice)
    return run_llm("chat", connection, prompt, False, model, parameters, kwargs)


def completion(connection, prompt, model="gpt-3.5-turbo-instruct", suffix=None, max_tokens=16, temperature=1.0, top_p=1.0,
               n=1, stream=False, logprobs=None, echo=False, stop=None, presence_penalty=0, frequency_penalty=0,
               best_of=1, logit_bias={}, user="", **kwargs):
    parameters = dict(suffix=suffix, max_tokens=max_tokens, temperature=temperature, top_p=top_p, n=n,
                      stream=stream, logprobs=logprobs, echo=echo, stop=stop, presence_penalty=presence_penalty,
                      frequency_penalty=frequency_penalty, best_of=best_of, logit_bias=logit_bias, user=user)
    return run_llm("completion", connection, prompt, False, model, parameters, kwargs)
