import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/client";
import { InlineRename, type RenameMutation } from "./InlineRename";

afterEach(cleanup);

function mutation(result: () => Promise<unknown>, error: unknown = null): RenameMutation<string> {
  return { mutateAsync: vi.fn(result), isPending: false, isError: error !== null, error, reset: vi.fn() };
}

describe("InlineRename", () => {
  it("saves the trimmed name and closes, also when the server answers without a body", async () => {
    const rename = mutation(async () => undefined);
    render(<InlineRename name="QA" mutation={rename} variables={(name) => name} />);
    fireEvent.click(screen.getByRole("button", { name: "Rename QA" }));
    fireEvent.change(screen.getByLabelText("New name"), { target: { value: "  QA team " } });
    fireEvent.submit(screen.getByRole("form", { name: "Rename QA" }));
    await waitFor(() => expect(screen.queryByLabelText("New name")).toBeNull());
    expect(rename.mutateAsync).toHaveBeenCalledWith("QA team");
  });

  it("keeps what was typed and shows the field's message when the name is refused; Cancel restores", async () => {
    const refused = new ApiError(422, "The given data was invalid", { name: ["A group named “Ops” already exists."] });
    const rename = mutation(() => Promise.reject(refused), refused);
    render(<InlineRename name="QA" mutation={rename} variables={(name) => name} />);
    fireEvent.click(screen.getByRole("button", { name: "Rename QA" }));
    fireEvent.change(screen.getByLabelText("New name"), { target: { value: "Ops" } });
    fireEvent.submit(screen.getByRole("form", { name: "Rename QA" }));
    await waitFor(() => expect(rename.mutateAsync).toHaveBeenCalled());
    expect((screen.getByLabelText("New name") as HTMLInputElement).value).toBe("Ops");
    expect(screen.getByText("A group named “Ops” already exists.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(rename.reset).toHaveBeenCalled();
    expect(screen.getByText("QA")).toBeTruthy();
  });
});
