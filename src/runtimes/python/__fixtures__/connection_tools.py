from promptflow import tool
from promptflow.connections import AzureOpenAIConnection, CustomConnection, CustomStrongTypeConnection, OpenAIConnection


class MyConnection(CustomStrongTypeConnection):
    api_url: str
    token: str


@tool
def describe_aoai(conn: AzureOpenAIConnection):
    return {"kind": type(conn).__name__, "base": conn.api_base, "has_key": bool(conn.api_key)}


@tool
def describe_openai(conn: OpenAIConnection):
    return {"kind": type(conn).__name__, "base_url": conn.base_url}


@tool
def describe_custom(conn: CustomConnection):
    return {"kind": type(conn).__name__, "endpoint": conn.endpoint, "secret_is_secret": conn.is_secret("token"), "token_len": len(conn.token)}


@tool
def describe_strong(conn: MyConnection):
    return {"kind": type(conn).__name__, "api_url": conn.api_url, "token_len": len(conn.token)}
