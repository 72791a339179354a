// Search highlights: the API HTML-escapes the task's text and wraps matches in <mark>.
// Rendered as React text (never as HTML), so only <mark> becomes markup.

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

export function Highlighted({ html }: { html: string }) {
  const parts = html.split(/(<mark>.*?<\/mark>)/g).filter(Boolean);
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith("<mark>") ? <mark key={i}>{decodeEntities(part.slice(6, -7))}</mark> : <span key={i}>{decodeEntities(part)}</span>,
      )}
    </>
  );
}
