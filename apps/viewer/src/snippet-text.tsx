import type { JSX } from 'preact';

const parser = new DOMParser();

/**
 * A search snippet: the server sends HTML-escaped text with <mark> around matches. Only those
 * marks become elements; everything else is decoded to plain text, so no markup from a scanned
 * page can ever reach the DOM as HTML.
 */
export function SnippetText({ html }: { html: string }): JSX.Element {
  const parts = html.split(/(<mark>|<\/mark>)/);
  const out: JSX.Element[] = [];
  let marked = false;
  parts.forEach((part, i) => {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) {
      const text = parser.parseFromString(part, 'text/html').documentElement.textContent ?? '';
      out.push(marked ? <mark key={i}>{text}</mark> : <span key={i}>{text}</span>);
    }
  });
  return <span class="snippet">{out}</span>;
}
