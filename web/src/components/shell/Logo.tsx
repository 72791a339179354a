/** The Tasklane mark (the same drawing as the favicon). */
export function Logo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="#4f46e5" />
      <path d="M8 11h10M8 16h7M8 21h5" stroke="#c7d2fe" strokeWidth="2.5" strokeLinecap="round" />
      <path d="m17 20 3.2 3.2L26 16" fill="none" stroke="#fff" strokeWidth="2.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
