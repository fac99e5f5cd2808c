from promptflow import tool
