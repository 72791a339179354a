import { QueryClient } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Highlighted } from "@/components/Highlighted";
import { QuickAdd } from "@/components/tasks/QuickAdd";
import { ErrorMessage } from "@/components/ui/Status";
import { Api } from "@/lib/api/client";
import type { Member } from "@/lib/api/types";
import { keys } from "@/lib/query/keys";
import { initials } from "@/lib/people";
import { flatten } from "@/lib/tasks/cache";
import { TaskActions } from "@/lib/tasks/actions";
import { TaskActionsContext } from "@/lib/tasks/provider";
import { FakeApi } from "./fake-api";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

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

describe("initials", () => {
  it("are the first and last name's first letters", () => {
    expect(initials("Ada Lovelace")).toBe("AL");
    expect(initials("ada")).toBe("A");
    expect(initials("jean-luc picard")).toBe("JP");
    expect(initials("ada-1796395")).toBe("A");
    expect(initials("  ")).toBe("?");
  });
});

describe("QuickAdd", () => {
  const members: Member[] = [{ user_id: "u-ada", email: "ada@example.com", display_name: "Ada Lovelace", role: "owner", added_at: "", added_by: "u-ada" }];

  it("shows what a line means before saving, adds it on Enter and keeps the focus for the next", async () => {
    const server = new FakeApi();
    server.install();
    const client = new QueryClient();
    client.setQueryData(keys.taskList("p", { status: "todo", sort: "position", order: "asc" }), { pages: [{ items: [], next_cursor: null }], pageParams: [null] });
    const actions = new TaskActions(new Api("http://api", async () => "token"), client, true);
    const user = userEvent.setup();
    render(
      <TaskActionsContext.Provider value={actions}>
        <QuickAdd projectId="p" timeZone="Europe/Berlin" members={members} />
      </TaskActionsContext.Provider>,
    );
    const input = screen.getByRole("textbox", { name: "New task" });
    await user.click(input);
    await user.type(input, "Call Ada tomorrow 5pm #sales !high @ada");
    await waitFor(() => expect(screen.getByText(/^Due tomorrow 17:00/)).toBeTruthy());
    expect(screen.getByText("#sales")).toBeTruthy();
    expect(screen.getByText("High")).toBeTruthy();
    expect(screen.getByText("Ada Lovelace")).toBeTruthy();
    await user.keyboard("{Enter}");
    expect((input as HTMLInputElement).value).toBe("");
    expect(document.activeElement).toBe(input);
    await waitFor(() => expect(server.requests).toHaveLength(1));
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ title: "Call Ada", labels: ["sales"], priority: "high", assignee_id: "u-ada" });
    // "tomorrow 17:00" in Berlin, whatever the test machine's zone.
    const due = new Date(String(body.due_at));
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" }).format(due)).toBe("17:00");
    await waitFor(() => expect(flatten(client.getQueryData(keys.taskList("p", { status: "todo", sort: "position", order: "asc" }))).map((t) => t.title)).toEqual(["Call Ada"]));
  });

  it("refuses a line with only details, and keeps it", async () => {
    const client = new QueryClient();
    const actions = new TaskActions(new Api("http://api", async () => "token"), client, true);
    const user = userEvent.setup();
    render(
      <TaskActionsContext.Provider value={actions}>
        <QuickAdd projectId="p" timeZone="UTC" members={null} />
      </TaskActionsContext.Provider>,
    );
    const input = screen.getByRole("textbox", { name: "New task" });
    await user.type(input, "#ops !high{Enter}");
    expect(await screen.findByRole("alert")).toBeTruthy();
    expect((input as HTMLInputElement).value).toBe("#ops !high");
  });
});
