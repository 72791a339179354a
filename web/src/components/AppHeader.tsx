"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useSession } from "@/lib/session";
import { NotificationBell } from "./NotificationBell";

function SearchBox() {
  const router = useRouter();
  const [q, setQ] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (q.trim()) router.push(`/search?q=${encodeURIComponent(q.trim())}`);
  };
  return (
    <form role="search" onSubmit={submit} className="row">
      <label htmlFor="search-box" className="visually-hidden">
        Search tasks
      </label>
      <input id="search-box" type="search" placeholder="Search tasks" value={q} onChange={(e) => setQ(e.target.value)} />
      <button type="submit">Search</button>
    </form>
  );
}

export function AppHeader() {
  const { config, session, logOut } = useSession();
  const router = useRouter();
  const leave = async () => {
    await logOut();
    router.replace("/login");
  };
  return (
    <header className="shell-header">
      <Link href="/projects/inbox" className="brand">
        Tasklane
      </Link>
      <SearchBox />
      <nav aria-label="Main">
        <Link href="/assigned">Assigned to me</Link>
        <Link href="/stats">Stats</Link>
        <NotificationBell />
        <Link href="/profile">Profile</Link>
        {config?.localMode ? <Link href="/dev/mail">Mailbox</Link> : null}
        <span className="hint">{session?.email}</span>
        <button type="button" onClick={leave}>
          Log out
        </button>
      </nav>
    </header>
  );
}
