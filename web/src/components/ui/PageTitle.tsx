/** The browser tab's title for this page (React hoists <title> into <head>). */
export function PageTitle({ title }: { title: string | null | undefined }) {
  return <title>{title ? `${title} · Tasklane` : "Tasklane"}</title>;
}
