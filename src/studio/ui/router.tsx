import type { AnchorHTMLAttributes, ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

/** The page address (path and query) the browser shows; pages re-render when it changes. */
export function useLocation(): URL {
  const [href, setHref] = useState(location.href);
  useEffect(() => {
    const update = () => setHref(location.href);
    addEventListener("popstate", update);
    addEventListener("studio:navigate", update);
    return () => {
      removeEventListener("popstate", update);
      removeEventListener("studio:navigate", update);
    };
  }, []);
  return new URL(href);
}

/** Goes to another page of the studio without reloading it. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  dispatchEvent(new Event("studio:navigate"));
  if (!options.replace) scrollTo(0, 0);
  // Like a page load for keyboard and screen reader users: the next Tab starts in the new page's content.
  // Filters (`replace`) keep the focus where it is.
  if (!options.replace)
    requestAnimationFrame(() => document.getElementById("main")?.focus({ preventScroll: true }));
}

/** A real link (it works with a middle click, a new tab or no script) that navigates in place. */
export function Link(
  props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren },
) {
  const { href, children, ...rest } = props;
  const onClick = (event: MouseEvent) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}

/** `/runs/:name` → `{ name }` when the path matches the pattern. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const parts = pattern.split("/");
  const given = path.replace(/\/+$/, "").split("/");
  if (pattern === "/" && (path === "/" || path === "")) return {};
  if (parts.length !== given.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const value = given[i]!;
    if (part.startsWith(":")) {
      if (value === "") return undefined;
      params[part.slice(1)] = decodeURIComponent(value);
    } else if (part !== value) return undefined;
  }
  return params;
}
