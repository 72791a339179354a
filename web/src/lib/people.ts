// People as the app shows them: display names and initials, never bare ids or e-mail parts.
import type { Member } from "@/lib/api/types";

export interface Person {
  id: string;
  name: string;
  email?: string;
}

/** "Ada Lovelace" → "AL", "ada" → "A", "" → "?". */
export function initials(name: string): string {
  const all = name.trim().split(/[\s._@-]+/).filter(Boolean);
  // "ada-17963" is "A", not "A1": digits are no one's initial while letters are there.
  const lettered = all.filter((w) => /^\p{L}/u.test(w));
  const words = lettered.length ? lettered : all;
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  return letters.map((w) => [...(w ?? "")][0]?.toUpperCase() ?? "").join("") || "?";
}

/** One of eight avatar colours, the same for a person everywhere. */
export function avatarColour(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 8;
}

export function memberPerson(member: Member): Person {
  return { id: member.user_id, name: member.display_name || member.email, email: member.email };
}

/** The person behind a user id in this project, "You" for the signed-in user. */
export function personOf(userId: string | null | undefined, members: readonly Member[] | null, me: { id: string; name?: string }): Person | null {
  if (!userId) return null;
  if (userId === me.id) return { id: userId, name: me.name ?? "You" };
  const member = members?.find((m) => m.user_id === userId);
  return member ? memberPerson(member) : { id: userId, name: "A former member" };
}
