// The import's column mapping step and the copy field, rendered: problems at the field they
// concern (announced as invalid), changes reported whole, and copying that says whether it
// worked.
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CopyField } from "@/components/exchange/CopyField";
import { MappingStep } from "@/components/exchange/MappingStep";
import { guessMapping, mappingProblems, readHeader, toColumnMapping, type MappingDraft } from "@/lib/exchange/mapping";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const SAMPLE = "Task;Notes;Due;Tags\nA;b;2026-12-01;x";

function Harness({ onDraft }: { onDraft: (draft: MappingDraft) => void }) {
  const [draft, setDraft] = useState(() => guessMapping(readHeader(SAMPLE, ";") ?? [], ";"));
  const headers = readHeader(SAMPLE, draft.delimiter) ?? [];
  return (
    <MappingStep
      headers={headers}
      draft={draft}
      problems={mappingProblems(draft, headers)}
      onChange={(next) => {
        setDraft(next);
        onDraft(next);
      }}
    />
  );
}

describe("MappingStep", () => {
  it("starts from the guess, says a missing title at its field, and maps what was chosen", async () => {
    const user = userEvent.setup();
    const drafts: MappingDraft[] = [];
    render(<Harness onDraft={(d) => drafts.push(d)} />);
    const title = screen.getByLabelText(/^Title/);
    expect((title as HTMLSelectElement).value).toBe("Task");
    expect((screen.getByLabelText("Due date") as HTMLSelectElement).value).toBe("Due");
    expect(title.getAttribute("aria-invalid")).toBeNull();

    await user.selectOptions(title, "");
    expect(title.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Choose the column that holds each task's title.").id).toBe(title.getAttribute("aria-describedby"));

    await user.selectOptions(title, "Notes");
    expect(screen.getByLabelText("Description").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("One column cannot be both Title and Description.")).toBeTruthy();

    await user.selectOptions(screen.getByLabelText("Description"), "");
    await user.selectOptions(screen.getByLabelText("Dates are written as"), "%d/%m/%Y");
    const last = drafts.at(-1);
    expect(last && toColumnMapping(last)).toEqual({ title: "Notes", due: "Due", labels: "Tags", delimiter: ";", date_format: "%d/%m/%Y" });
  });

  it("reads the header again with another delimiter", async () => {
    const user = userEvent.setup();
    render(<Harness onDraft={() => {}} />);
    await user.selectOptions(screen.getByLabelText("Delimiter"), ",");
    // One column now, named by the whole line: the guessed title is not in the file any more.
    expect(screen.getByText("The file has no column “Task”.")).toBeTruthy();
    expect(screen.getAllByRole("option", { name: "Task;Notes;Due;Tags" }).length).toBeGreaterThan(0);
  });
});

describe("CopyField", () => {
  it("copies the value and says so, or says to copy by hand", async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(async () => {});
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    render(<CopyField label="Feed URL" value="https://api/calendar/tlcal_x.ics" />);
    expect((screen.getByLabelText("Feed URL") as HTMLInputElement).value).toBe("https://api/calendar/tlcal_x.ics");
    await user.click(screen.getByRole("button", { name: "Copy feed url" }));
    expect(writeText).toHaveBeenCalledWith("https://api/calendar/tlcal_x.ics");
    expect(screen.getByRole("status").textContent).toBe("Copied to the clipboard.");

    writeText.mockRejectedValueOnce(new Error("denied"));
    await user.click(screen.getByRole("button", { name: "Copy feed url" }));
    expect(screen.getByRole("status").textContent).toContain("copy it by hand");
  });
});
