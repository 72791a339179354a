import { avatarColour, initials, type Person } from "@/lib/people";
import { cx } from "./cx";

/** Initials in a coloured circle; the name is the accessible label (or hidden when the name
 * is written next to it). */
export function Avatar({ person, size = "md", labelled = true }: { person: Person; size?: "sm" | "md"; labelled?: boolean }) {
  return (
    <span
      className={cx(
        "avatar inline-flex shrink-0 select-none items-center justify-center rounded-full font-semibold",
        `avatar-${avatarColour(person.id)}`,
        size === "sm" ? "size-5 text-[10px]" : "size-7 text-xs",
      )}
      role={labelled ? "img" : undefined}
      aria-label={labelled ? person.name : undefined}
      aria-hidden={labelled ? undefined : true}
      title={person.name}
    >
      {initials(person.name)}
    </span>
  );
}
