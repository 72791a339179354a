import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { usePaged } from "@/lib/hooks";

describe("usePaged", () => {
  it("loads the first page, then more on request, until next_cursor is null", async () => {
    const load = vi.fn(async (cursor: string | null) =>
      cursor === null ? { items: [1, 2], next_cursor: "c2" } : { items: [3], next_cursor: null },
    );
    const { result } = renderHook(() => usePaged<number>(load, "k"));
    await waitFor(() => expect(result.current.items).toEqual([1, 2]));
    expect(result.current.hasMore).toBe(true);
    await act(() => result.current.loadMore());
    expect(result.current.items).toEqual([1, 2, 3]);
    expect(result.current.hasMore).toBe(false);
    expect(load.mock.calls.map(([cursor]) => cursor)).toEqual([null, "c2"]);
  });

  it("starts again when the key (filters) changes and reports errors in words", async () => {
    const load = vi.fn(async (): Promise<{ items: number[]; next_cursor: string | null }> => {
      throw new TypeError("Failed to fetch");
    });
    const { result, rerender } = renderHook(({ key }) => usePaged<number>(load, key), { initialProps: { key: "a" } });
    await waitFor(() => expect(result.current.error).toMatch(/Could not reach the server/));
    rerender({ key: "b" });
    expect(result.current.loading).toBe(true);
    expect(result.current.error).toBeNull();
  });
});
