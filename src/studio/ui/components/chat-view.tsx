import { useRef, useState } from "preact/hooks";
import { postStream } from "../api.js";
import { Link } from "../router.js";

interface Turn {
  question: string;
  answer: string;
  runId?: string;
  error?: string;
  done: boolean;
}

/**
 * A chat with a chat flow: each message runs the flow with the conversation so far as its chat
 * history (promptflow's `[{inputs, outputs}]`), and the answer streams in as it arrives.
 */
export function ChatView(props: {
  flow: string;
  chatInput: string;
  chatHistory?: string;
  chatOutput: string;
  variant?: string;
}) {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);

  const update = (index: number, change: Partial<Turn>) =>
    setTurns((list) => list.map((turn, i) => (i === index ? { ...turn, ...change } : turn)));

  const send = async (event: Event) => {
    event.preventDefault();
    const question = message.trim();
    if (!question || busy) return;
    const history = turns
      .filter((t) => t.done && !t.error)
      .map((t) => ({ inputs: { [props.chatInput]: t.question }, outputs: { [props.chatOutput]: t.answer } }));
    const index = turns.length;
    setTurns((list) => [...list, { question, answer: "", done: false }]);
    setMessage("");
    setBusy(true);
    let answer = "";
    try {
      await postStream(
        `/flows/${encodeURIComponent(props.flow)}/run`,
        {
          inputs: {
            [props.chatInput]: question,
            ...(props.chatHistory ? { [props.chatHistory]: history } : {}),
          },
          ...(props.variant ? { variant: props.variant } : {}),
        },
        ({ event, data }) => {
          if (event === "start") update(index, { runId: String(data["run_id"]) });
          if (event === "chunk" && data["output"] === props.chatOutput) {
            answer += String(data["chunk"]);
            update(index, { answer });
          }
          if (event === "done") {
            const outputs = data["outputs"] as Record<string, unknown>;
            const value = outputs[props.chatOutput];
            update(index, { answer: typeof value === "string" ? value : JSON.stringify(value), done: true });
          }
          if (event === "error") {
            const error = data["error"] as { message?: string } | undefined;
            update(index, { error: error?.message ?? "The flow failed.", done: true });
          }
        },
      );
    } catch (error) {
      update(index, { error: (error as Error).message, done: true });
    } finally {
      setBusy(false);
      field.current?.focus();
    }
  };

  return (
    <div class="chat">
      <ol class="chat-log" aria-live="polite" aria-label="Conversation">
        {turns.length === 0 ? <li class="muted">No messages yet: ask something below.</li> : null}
        {turns.map((turn, i) => (
          <li key={i} class="chat-turn">
            <p class="bubble user">
              <span class="visually-hidden">You: </span>
              {turn.question}
            </p>
            <div class="bubble assistant">
              <span class="visually-hidden">Flow: </span>
              {turn.error ? (
                <span class="problem">{turn.error}</span>
              ) : (
                <span class="answer">{turn.answer || (turn.done ? "" : "…")}</span>
              )}
              {turn.done && turn.runId ? (
                <Link class="trace-link" href={`/trace?run=${encodeURIComponent(turn.runId)}`}>
                  Trace
                </Link>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
      <form class="chat-form" onSubmit={send}>
        <label for="chat-message">Message</label>
        <textarea
          id="chat-message"
          ref={field}
          rows={2}
          value={message}
          onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) void send(e);
          }}
        />
        <button type="submit" class="primary" disabled={busy}>
          Send
        </button>
        <button type="button" onClick={() => setTurns([])} disabled={busy || turns.length === 0}>
          New chat
        </button>
      </form>
    </div>
  );
}
