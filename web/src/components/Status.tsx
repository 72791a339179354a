// Loading and error states, used by every page.

export function Spinner({ label = "Loading" }: { label?: string }) {
  return (
    <span role="status">
      <span className="spinner" aria-hidden="true" /> <span className="visually-hidden">{label}</span>
    </span>
  );
}

export function Skeleton({ rows = 3, label = "Loading" }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" aria-hidden="true" />
      ))}
    </div>
  );
}

export function ErrorMessage({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error}
    </p>
  );
}
