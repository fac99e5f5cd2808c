// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.

/**
 * The flows `flowops flow init` writes: promptflow's `pf flow init` templates (standard, chat,
 * evaluation) and a flex flow, file for file. Each one validates and runs as written: standard and
 * evaluation call no model, chat ships a recording of its default question (written at init time) so
 * it runs with FLOWOPS_LLM_MODE=replay, flex is a plain python function.
 */
export const FLOW_TEMPLATE_TYPES = ["standard", "chat", "evaluation", "flex"] as const;
export type FlowTemplateType = (typeof FLOW_TEMPLATE_TYPES)[number];

export interface TemplateOptions {
  /** The chat flow's connection (promptflow's `--connection`). */
  connection: string;
  /** The chat flow's deployment or model (promptflow's `--deployment`). */
  deployment: string;
}

const schema = "$schema: https://azuremlschemas.azureedge.net/promptflow/latest/Flow.schema.json";
const requirements =
  "# Python packages this flow's python nodes import, one per line (pip's format).\n# flowops installs them for the flow; the standard library needs nothing here.\n";
const gitignore = ".runs/\n__pycache__/\n.venv/\n";

export function flowTemplate(type: FlowTemplateType, options: TemplateOptions): Record<string, string> {
  switch (type) {
    case "standard":
      return standard();
    case "chat":
      return chat(options);
    case "evaluation":
      return evaluation();
    case "flex":
      return flex();
  }
}

function standard(): Record<string, string> {
  return {
    "flow.dag.yaml": `${schema}
inputs:
  text:
    type: string
    default: Hello World!
outputs:
  output_prompt:
    type: string
    reference: \${echo_my_prompt.output}
nodes:
- name: hello_prompt
  type: prompt
  source:
    type: code
    path: hello.jinja2
  inputs:
    text: \${inputs.text}
- name: echo_my_prompt
  type: python
  source:
    type: code
    path: hello.py
  inputs:
    input1: \${hello_prompt.output}
environment:
  python_requirements_txt: requirements.txt
`,
    "hello.jinja2": `{# Please replace the template with your own prompt. #}
Write a simple {{text}} program that displays the greeting message.
`,
    "hello.py": `from promptflow.core import tool


# The inputs section will change based on the arguments of the tool function, after you save the code
# Adding type to arguments and return value will help the system show the types properly
# Please update the function name/signature per need
@tool
def my_python_tool(input1: str) -> str:
    return "Prompt: " + input1
`,
    "data.jsonl": '{"text": "Hello World!"}\n{"text": "Hello flowops!"}\n',
    "requirements.txt": requirements,
    ".gitignore": gitignore,
    "README.md": readme(
      "Template standard flow",
      "A prompt node renders `hello.jinja2`; a python node echoes the prompt. No model is called.",
      "--inputs text='Hello World!'",
    ),
  };
}

function chat(options: TemplateOptions): Record<string, string> {
  return {
    "flow.dag.yaml": `${schema}
inputs:
  chat_history:
    type: list
    is_chat_history: true
    default: []
  question:
    type: string
    is_chat_input: true
    default: What is Prompt Flow?
outputs:
  answer:
    type: string
    reference: \${chat.output}
    is_chat_output: true
nodes:
- name: chat
  type: llm
  source:
    type: code
    path: chat.jinja2
  inputs:
    deployment_name: ${options.deployment}
    max_tokens: 256
    temperature: 0.7
    chat_history: \${inputs.chat_history}
    question: \${inputs.question}
  connection: ${options.connection}
  api: chat
environment:
  python_requirements_txt: requirements.txt
`,
    "chat.jinja2": `# system:
You are a helpful assistant.

{% for item in chat_history %}
# user:
{{item.inputs.question}}
# assistant:
{{item.outputs.answer}}
{% endfor %}

# user:
{{question}}
`,
    "data.jsonl": '{"question": "What is Prompt Flow?", "chat_history": []}\n',
    "requirements.txt": requirements,
    ".gitignore": gitignore,
    "README.md": readme(
      "Template chat flow",
      `One llm node on the connection \`${options.connection}\` (deployment \`${options.deployment}\`). ` +
        "`.recordings/` holds an answer to the default question written by `flowops flow init` (not a model's), " +
        "so the flow runs offline with `FLOWOPS_LLM_MODE=replay`; create the connection " +
        "(`flowops connection create --file ...`) to call the model, and `FLOWOPS_LLM_MODE=record` to record real answers.",
      "--interactive",
    ),
  };
}

function evaluation(): Record<string, string> {
  return {
    "flow.dag.yaml": `${schema}
inputs:
  groundtruth:
    type: string
    default: APP
  prediction:
    type: string
    default: APP
outputs:
  results:
    type: string
    reference: \${line_process.output}
nodes:
- name: line_process
  type: python
  source:
    type: code
    path: line_process.py
  inputs:
    groundtruth: \${inputs.groundtruth}
    prediction: \${inputs.prediction}
- name: aggregate
  type: python
  source:
    type: code
    path: aggregate.py
  inputs:
    processed_results: \${line_process.output}
  aggregation: true
environment:
  python_requirements_txt: requirements.txt
`,
    "line_process.py": `from promptflow.core import tool


@tool
def line_process(groundtruth: str, prediction: str):
    """
    This tool processes the prediction of a single line and returns the processed result.

    :param groundtruth: the groundtruth of a single line.
    :param prediction: the prediction of a single line.
    """

    # Add your line processing logic here
    processed_result = "Correct" if groundtruth.lower() == prediction.lower() else "Incorrect"

    return processed_result
`,
    "aggregate.py": `from typing import List

from promptflow.core import log_metric, tool


@tool
def aggregate(processed_results: List[str]):
    """
    This tool aggregates the processed result of all lines and calculate the accuracy. Then log metric for the accuracy.

    :param processed_results: List of the output of line_process node.
    """

    # Add your aggregation logic here
    # Aggregate the results of all lines and calculate the accuracy
    aggregated_result = round((processed_results.count("Correct") / len(processed_results)), 2)

    # Log metric the aggregate result
    log_metric(key="accuracy", value=aggregated_result)

    return aggregated_result
`,
    "data.jsonl":
      '{"groundtruth": "App", "prediction": "App"}\n{"groundtruth": "Channel", "prediction": "Channel"}\n{"groundtruth": "Academic", "prediction": "Website"}\n',
    "requirements.txt": requirements,
    ".gitignore": gitignore,
    "README.md": readme(
      "Template evaluation flow",
      "`line_process` grades each line (Correct/Incorrect); the aggregation node `aggregate` logs `accuracy`. " +
        "Run it over a run's outputs with `flowops run create --flow . --data data.jsonl --run BASE " +
        "--column-mapping groundtruth='${data.groundtruth}' prediction='${run.outputs.output}'`.",
      "--inputs groundtruth=App prediction=App",
    ),
  };
}

function flex(): Record<string, string> {
  return {
    "flow.flex.yaml": `${schema}
entry: hello:my_flow
sample:
  inputs:
    text: Hello World!
environment:
  python_requirements_txt: requirements.txt
`,
    "hello.py": `from dataclasses import dataclass


@dataclass
class Result:
    output: str
    length: int


def my_flow(text: str = "Hello World!") -> Result:
    """A flex flow: the entry is a plain function; its parameters are the flow's inputs."""
    greeting = f"Prompt: Write a simple {text} program that displays the greeting message."
    return Result(output=greeting, length=len(greeting))
`,
    "data.jsonl": '{"text": "Hello World!"}\n{"text": "Hello flowops!"}\n',
    "requirements.txt": requirements,
    ".gitignore": gitignore,
    "README.md": readme(
      "Template flex flow",
      "`flow.flex.yaml` points at the python function `hello:my_flow`; its signature gives the inputs and its dataclass the outputs.",
      "--inputs text='Hello World!'",
    ),
  };
}

function readme(title: string, what: string, testArgs: string): string {
  return `# ${title}

${what}

\`\`\`sh
flowops flow validate --source .
flowops flow test --flow . ${testArgs}
flowops run create --flow . --data data.jsonl
\`\`\`

Created by \`flowops flow init\` from promptflow's \`pf flow init\` template of the same type.
`;
}
