import type { ReactNode } from "react";

// The benchmark's baseline (benchmarks/web_bundle.py): an empty Next.js page with a root
// layout of its own, so it ships the framework's JavaScript and none of the app's.
export default function EmptyLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
