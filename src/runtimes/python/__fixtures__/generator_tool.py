from promptflow import tool


@tool
def words(text: str):
    for word in text.split():
        yield word + " "
