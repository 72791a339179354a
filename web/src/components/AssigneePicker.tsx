"use client";
import type { Member } from "@/lib/types";

interface Props {
  id: string;
  members: Member[];
  value: string | null;
  onChange: (userId: string | null) => void;
  disabled?: boolean;
}

/** Who a task is assigned to: a member of its project, or nobody. */
export function AssigneePicker({ id, members, value, onChange, disabled }: Props) {
  return (
    <div className="field">
      <label htmlFor={id}>Assignee</label>
      <select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)} disabled={disabled}>
        <option value="">Nobody</option>
        {members.map((m) => (
          <option key={m.user_id} value={m.user_id}>
            {m.display_name || m.email}
          </option>
        ))}
      </select>
    </div>
  );
}
