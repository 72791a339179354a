"use client";
import { Modal } from "@/components/ui/Dialog";
import { Kbd } from "@/components/ui/Kbd";

const GROUPS: [string, [string[], string][]][] = [
  [
    "Anywhere",
    [
      [["?"], "Show these shortcuts"],
      [["/"], "Command palette: jump to a project or task, run an action"],
      [["Ctrl", "K"], "Command palette (⌘K on a Mac)"],
      [["Esc"], "Close a dialog, the task drawer or a menu"],
    ],
  ],
  [
    "In a project",
    [
      [["n"], "New task (quick add)"],
      [["q"], "New task (quick add)"],
      [["j"], "Next task"],
      [["k"], "Previous task"],
      [["x"], "Complete or reopen the selected task"],
      [["e"], "Open the selected task to edit it"],
      [["Enter"], "Open the selected task"],
      [["Alt", "↑"], "Move the selected task up (board and list in board order)"],
      [["Alt", "↓"], "Move the selected task down"],
      [["Alt", "←"], "Move the selected task to the previous column"],
      [["Alt", "→"], "Move the selected task to the next column"],
    ],
  ],
  [
    "Calendar",
    [
      [["Alt", "←"], "Move the focused task a day earlier"],
      [["Alt", "→"], "Move the focused task a day later"],
      [["Alt", "↑"], "A week earlier"],
      [["Alt", "↓"], "A week later"],
    ],
  ],
  [
    "Board (drag and drop by keyboard)",
    [
      [["Space"], "Pick up the focused card's handle, then arrow keys to move it"],
      [["Space"], "Drop it; Esc puts it back"],
    ],
  ],
];

export default function ShortcutHelp({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Modal open={open} onOpenChange={onOpenChange} title="Keyboard shortcuts" className="max-h-[80vh] overflow-y-auto">
      <div className="space-y-4">
        {GROUPS.map(([group, items]) => (
          <section key={group}>
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">{group}</h3>
            <dl className="divide-y divide-line">
              {items.map(([combo, what], i) => (
                <div key={i} className="flex items-center justify-between gap-4 py-1.5">
                  <dt className="flex gap-1">
                    {combo.map((k) => (
                      <Kbd key={k}>{k}</Kbd>
                    ))}
                  </dt>
                  <dd className="text-right text-muted">{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Modal>
  );
}
