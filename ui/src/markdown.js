// Markdown (reports, previews) rendered with marked and sanitized with DOMPurify before it
// touches the page: no script, no event handler, no javascript: link survives.
import DOMPurify from 'dompurify';
import { marked } from 'marked';

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

// A fragment; its headings start at `firstLevel` (the page's own outline comes first).
export function renderMarkdown(text, firstLevel = 3) {
  const html = marked.parse(String(text || ''), { async: false, gfm: true });
  const fragment = DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe'],
    // No ids or names: they could shadow the page's own (its root, aria-labelledby targets).
    FORBID_ATTR: ['style', 'id', 'name'],
  });
  // No images: a remote one would tell its author who reads the report (the CSP blocks it too),
  // and the Rapporteur's reports are text. The alternative text stays.
  for (const img of fragment.querySelectorAll('img')) {
    img.replaceWith(document.createTextNode(img.getAttribute('alt') || ''));
  }
  for (const heading of fragment.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Math.min(6, Number(heading.tagName[1]) + firstLevel - 1);
    const replacement = document.createElement(`h${level}`);
    replacement.append(...heading.childNodes);
    heading.replaceWith(replacement);
  }
  return fragment;
}
