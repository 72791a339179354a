"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState, type FormEvent } from "react";
import { Highlighted } from "@/components/Highlighted";
import { ErrorMessage, Skeleton, Spinner } from "@/components/Status";
import { TaskBadges } from "@/components/TaskItem";
import { usePaged } from "@/lib/hooks";
import { useTimeZone } from "@/lib/profile";
import { useApi } from "@/lib/session";
import type { SearchHit } from "@/lib/types";

function Results({ q }: { q: string }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const hits = usePaged<SearchHit>((cursor) => api.search(q, cursor), `search:${q}`);
  if (hits.loading && hits.items.length === 0) return <Skeleton rows={3} label="Searching" />;
  return (
    <>
      <ErrorMessage error={hits.error} />
      {hits.items.length === 0 && !hits.error ? <p>No tasks match “{q}”.</p> : null}
      <ol className="tasks" aria-label="Search results">
        {hits.items.map(({ task, highlights }) => (
          <li key={task.id} className="task" data-testid="search-hit">
            <div className="body">
              <Link href={`/tasks/${task.id}`} className="title">
                <Highlighted html={highlights.title} />
              </Link>
              {highlights.description ? (
                <p className="hint">
                  <Highlighted html={highlights.description} />
                </p>
              ) : null}
              <TaskBadges task={task} timeZone={timeZone} />
            </div>
          </li>
        ))}
      </ol>
      {hits.hasMore ? (
        <button type="button" onClick={hits.loadMore} disabled={hits.loading}>
          {hits.loading ? <Spinner label="Loading more" /> : null} More results
        </button>
      ) : null}
    </>
  );
}

function Search() {
  const params = useSearchParams();
  const router = useRouter();
  const q = params.get("q") ?? "";
  const [text, setText] = useState(q);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    router.push(`/search?q=${encodeURIComponent(text.trim())}`);
  };
  return (
    <>
      <h1>Search</h1>
      <form onSubmit={submit} className="row" aria-label="Search tasks">
        <div className="field">
          <label htmlFor="search-page-q">Words, &quot;a phrase&quot;, or, -exclude</label>
          <input id="search-page-q" type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit">Search</button>
      </form>
      {q ? <Results q={q} /> : <p>Type what you are looking for.</p>}
    </>
  );
}

export default function SearchPage() {
  return (
    <Suspense>
      <Search />
    </Suspense>
  );
}
