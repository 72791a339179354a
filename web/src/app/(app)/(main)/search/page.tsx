"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Search as SearchIcon } from "lucide-react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState, type FormEvent } from "react";
import { Highlighted } from "@/components/Highlighted";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { EmptyState, ErrorMessage, Skeleton, Spinner } from "@/components/ui/Status";
import { DueText, PriorityIcon, STATUS_LABELS } from "@/components/tasks/TaskMeta";
import { errorMessage } from "@/lib/api/errors";
import { keys } from "@/lib/query/keys";
import { projectHref, useProjects, useTimeZone } from "@/lib/queries";
import { useApi } from "@/lib/session";

function Results({ q }: { q: string }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const projects = useProjects();
  const hits = useInfiniteQuery({
    queryKey: keys.search(q),
    queryFn: ({ pageParam }) => api.search(q, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const names = new Map(projects.data?.map((p) => [p.id, p]));
  if (hits.isPending) return <Skeleton rows={3} label="Searching" />;
  if (hits.error) return <ErrorMessage error={errorMessage(hits.error)} />;
  const items = hits.data.pages.flatMap((p) => p.items);
  if (items.length === 0) {
    return (
      <EmptyState icon={<SearchIcon className="size-8" />} title={`No tasks match “${q}”`}>
        Try fewer words, the start of a word, or <q>or</q> between alternatives.
      </EmptyState>
    );
  }
  return (
    <>
      <ol className="divide-y divide-line" aria-label="Search results">
        {items.map(({ task, highlights }) => {
          const project = names.get(task.project_id);
          return (
            <li key={task.id} className="py-2.5" data-testid="search-hit">
              <div className="flex items-center gap-2">
                <PriorityIcon priority={task.priority} />
                <Link href={project ? `${projectHref(project)}?task=${encodeURIComponent(task.id)}` : `/tasks/${task.id}`} className="min-w-0 flex-1 truncate font-medium text-fg hover:underline">
                  <Highlighted html={highlights.title} />
                </Link>
                <DueText task={task} timeZone={timeZone} />
              </div>
              <p className="mt-0.5 text-xs text-muted">
                {project?.name ?? "A project"} · {STATUS_LABELS[task.status]}
                {task.labels.length ? ` · ${task.labels.map((l) => `#${l}`).join(" ")}` : ""}
              </p>
              {highlights.description ? (
                <p className="mt-1 text-muted">
                  <Highlighted html={highlights.description} />
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {hits.hasNextPage ? (
        <Button variant="ghost" size="sm" onClick={() => void hits.fetchNextPage()} disabled={hits.isFetchingNextPage}>
          {hits.isFetchingNextPage ? <Spinner label="Loading more" /> : null} More results
        </Button>
      ) : null}
    </>
  );
}

function Search() {
  const params = useSearchParams();
  const router = useRouter();
  const q = params.get("q") ?? "";
  const [text, setText] = useState(q);
  const [shown, setShown] = useState(q);
  if (q !== shown) {
    // Back/forward changed the query: the box follows.
    setShown(q);
    setText(q);
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    router.push(text.trim() ? `/search?q=${encodeURIComponent(text.trim())}` : "/search");
  };
  return (
    <div className="mx-auto max-w-4xl">
      <PageTitle title={q ? `Search: ${q}` : "Search"} />
      <h1 className="mb-3 text-xl font-semibold">Search</h1>
      <form onSubmit={submit} className="mb-4 flex gap-2" role="search" aria-label="Search tasks">
        <label htmlFor="search-page-q" className="sr-only">
          Words, &quot;a phrase&quot;, or, -exclude
        </label>
        <input id="search-page-q" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder='Words, "a phrase", or, -exclude' className="h-9 flex-1" autoFocus={!q} />
        <Button type="submit" variant="primary" className="h-9">
          Search
        </Button>
      </form>
      {q ? <Results q={q} /> : <p className="text-muted">Search titles, labels and descriptions across all your projects. The last word also matches as a prefix.</p>}
    </div>
  );
}

export default function SearchPage() {
  return (
    <Suspense fallback={<Skeleton rows={3} label="Loading" />}>
      <Search />
    </Suspense>
  );
}
