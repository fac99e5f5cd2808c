import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { Link } from "../router.js";

const NAV = [
  { href: "/", label: "Flows" },
  { href: "/runs", label: "Runs" },
  { href: "/traces", label: "Traces" },
  { href: "/experiments", label: "Experiments" },
  { href: "/registry", label: "Registry" },
  { href: "/endpoints", label: "Endpoints" },
];

function current(path: string, href: string): boolean {
  if (href === "/") return path === "/" || path.startsWith("/flows");
  if (href === "/traces" && path === "/trace") return true;
  if (href === "/runs" && path === "/compare") return true;
  return path === href || path.startsWith(`${href}/`);
}

/** The page frame: a skip link, the navigation (the current section marked), and the page's title. */
export function Layout(props: { path: string; title: string; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${props.title} · flowops studio`;
  }, [props.title]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">flowops studio</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={current(props.path, item.href) ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </>
  );
}

export function Status(props: { status: string }) {
  return <span class={`status status-${props.status.toLowerCase()}`}>{props.status}</span>;
}

export function Problem(props: { message: string }) {
  return (
    <p class="problem" role="alert">
      {props.message}
    </p>
  );
}

export function Loading() {
  return <p class="muted">Loading…</p>;
}

/** Previous/next page links for a paginated list. */
export function Pager(props: {
  base: string;
  offset: number;
  limit: number;
  more: boolean;
  params?: Record<string, string>;
}) {
  const href = (offset: number) => {
    const query = new URLSearchParams({ ...props.params, offset: String(offset) });
    return `${props.base}?${query}`;
  };
  return (
    <nav class="pager" aria-label="Pages">
      {props.offset > 0 ? (
        <Link href={href(Math.max(0, props.offset - props.limit))}>Previous page</Link>
      ) : null}
      <span class="muted">
        {props.offset + 1}–{props.offset + props.limit}
      </span>
      {props.more ? <Link href={href(props.offset + props.limit)}>Next page</Link> : null}
    </nav>
  );
}
