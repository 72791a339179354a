import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Highlighted } from "@/components/Highlighted";
import { ErrorMessage } from "@/components/Status";
import { TaskFiltersBar, NO_FILTERS } from "@/components/TaskFiltersBar";
import { TaskForm } from "@/components/TaskForm";
import type { Member, TaskInput } from "@/lib/types";

afterEach(cleanup);

describe("ConfirmButton", () => {
  it("asks before it acts, and can be cancelled", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    render(<ConfirmButton label="Delete" question="Delete Launch?" onConfirm={onConfirm} />);
    await user.click(screen.getByRole("button", { name: "Delete" }));
    expect(screen.getByRole("group", { name: "Delete Launch?" })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Cancel" }));
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onConfirm).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Delete" }));
    await user.click(screen.getAllByRole("button", { name: "Delete" })[0]!);
    expect(onConfirm).toHaveBeenCalledOnce();
  });
});

describe("Highlighted", () => {
  it("marks matches and never renders the task's text as markup", () => {
    const { container } = render(<Highlighted html={"<mark>Budget</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"} />);
    expect(container.querySelector("mark")?.textContent).toBe("Budget");
    expect(container.querySelector("script")).toBeNull();
    expect(container.textContent).toBe("Budget <script>alert(1)</script> & more");
  });
});

describe("ErrorMessage", () => {
  it("is an alert, and nothing without an error", () => {
    const { container, rerender } = render(<ErrorMessage error={null} />);
    expect(container.textContent).toBe("");
    rerender(<ErrorMessage error="This task changed" />);
    expect(screen.getByRole("alert").textContent).toBe("This task changed");
  });
});

describe("TaskForm", () => {
  it("sends the due time in UTC from the user's zone, labels normalised", async () => {
    const user = userEvent.setup();
    const submitted: TaskInput[] = [];
    render(
      <TaskForm
        timeZone="Europe/Berlin"
        labelSuggestions={["ops"]}
        members={null}
        submitLabel="Add task"
        onSubmit={async (input) => {
          submitted.push(input);
          return true;
        }}
      />,
    );
    await user.type(screen.getByLabelText("Title"), "Ship it");
    await user.selectOptions(screen.getByLabelText("Priority"), "high");
    await user.type(screen.getByLabelText(/^Due/), "2026-12-01T17:00");
    await user.type(screen.getByLabelText(/^Labels/), "Ops, Launch ,ops");
    await user.click(screen.getByRole("button", { name: "Add task" }));
    expect(submitted).toEqual([
      { title: "Ship it", description: "", status: "todo", priority: "high", due_at: "2026-12-01T16:00:00.000Z", labels: ["ops", "launch"] },
    ]);
    expect((screen.getByLabelText("Title") as HTMLInputElement).value).toBe("");
  });

  it("offers the project's members as assignees", async () => {
    const user = userEvent.setup();
    const members: Member[] = [{ user_id: "u2", email: "bob@example.com", display_name: "Bob", role: "editor", added_at: "" }];
    const onSubmit = vi.fn().mockResolvedValue(true);
    render(<TaskForm timeZone="UTC" labelSuggestions={[]} members={members} submitLabel="Add task" onSubmit={onSubmit} />);
    await user.type(screen.getByLabelText("Title"), "Review");
    await user.selectOptions(screen.getByLabelText("Assignee"), "u2");
    await user.click(screen.getByRole("button", { name: "Add task" }));
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({ assignee_id: "u2" });
  });

  it("refuses an empty title", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    render(<TaskForm timeZone="UTC" labelSuggestions={[]} members={null} submitLabel="Add task" onSubmit={onSubmit} />);
    await user.type(screen.getByLabelText("Title"), "   ");
    await user.click(screen.getByRole("button", { name: "Add task" }));
    expect(screen.getByRole("alert").textContent).toBe("A task needs a title.");
    expect(onSubmit).not.toHaveBeenCalled();
  });
});

describe("TaskFiltersBar", () => {
  it("reports each change with every control labelled", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<TaskFiltersBar value={NO_FILTERS} onChange={onChange} labels={["ops"]} />);
    for (const name of ["Status", "Priority", "Label", "Due", "Sort by", "Order"]) {
      expect(screen.getByLabelText(name)).toBeTruthy();
    }
    await user.selectOptions(screen.getByLabelText("Sort by"), "due");
    expect(onChange).toHaveBeenLastCalledWith({ ...NO_FILTERS, sort: "due" });
  });
});
