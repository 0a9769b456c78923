import type { CaseListItem, RepositoryFolder, RepositoryOptions } from "@assay/api";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { type FakeRoute, failure, fakeApi, json, noContent, page, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";
import { buildTree, dropMove, moveDestinations, stepMove, visibleNodes } from "./folder-tree";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

function folder(id: number, name: string, parent_id: number | null, display_order: number): RepositoryFolder {
  return { id, project_id: 1, repo_id: 1, name, parent_id, depth: 0, docs: null, display_order };
}

const FOLDERS = [
  folder(1, "Checkout", null, 1),
  folder(2, "Accounts", null, 2),
  folder(3, "Payments", 1, 1),
  folder(4, "Cards", 3, 1),
];

const OPTIONS: RepositoryOptions = {
  templates: [{ id: 1, name: "Steps", is_default: true }],
  states: [
    { id: 1, name: "Draft", is_default: false },
    { id: 3, name: "Active", is_default: true },
  ],
  tags: [{ id: 7, name: "smoke" }],
  custom_fields: ["custom_priority"],
};

function listItem(id: number, name: string, folderId: number | null): CaseListItem {
  return {
    id,
    key: id,
    name,
    folder_id: folderId,
    template_id: 1,
    state_id: 3,
    tags: [{ id: 7, name: "smoke" }],
    has_automation: false,
    updated_at: null,
    created_at: "2026-01-01T00:00:00.000Z",
  };
}

function repository(allowed: string[], more: Record<string, FakeRoute> = {}) {
  return fakeApi({
    ...signedIn(),
    "GET /api/v1/x/projects/1/permissions": json({ result: { project_id: 1, permissions: 0, allowed } }),
    "GET /api/v1/x/projects/1/repository": json({ result: OPTIONS }),
    "GET /api/v1/projects/1/folders": json(page(FOLDERS)),
    "GET /api/v1/x/projects/1/cases": json({ ...page([listItem(11, "Pay by card", 3), listItem(12, "Refund", 1)]) }),
    ...more,
  });
}

describe("the folder tree model", () => {
  it("orders by display order, shows children of open folders only, and plans drops and steps", () => {
    const tree = buildTree(FOLDERS);
    expect(visibleNodes(tree, new Set()).map((n) => n.folder.name)).toEqual(["Checkout", "Accounts"]);
    expect(visibleNodes(tree, new Set([1, 3])).map((n) => [n.folder.name, n.level])).toEqual([
      ["Checkout", 1],
      ["Payments", 2],
      ["Cards", 3],
      ["Accounts", 1],
    ]);
    const [checkout, accounts, payments, cards] = FOLDERS as [RepositoryFolder, ...RepositoryFolder[]];
    expect(dropMove(FOLDERS, accounts!, checkout, "before")).toEqual({ parent_id: null, position: 0 });
    expect(dropMove(FOLDERS, accounts!, payments!, "into")).toEqual({ parent_id: 3, position: 1 });
    expect(dropMove(FOLDERS, checkout, cards!, "into")).toBeNull();
    expect(stepMove(FOLDERS, accounts!, -1)).toEqual({ parent_id: null, position: 0 });
    expect(stepMove(FOLDERS, accounts!, 1)).toBeNull();
    expect(moveDestinations(FOLDERS, payments!).map((d) => d.path)).toEqual(["Checkout", "Accounts"]);
  });
});

describe("the repository page", () => {
  it("shows the tree and the cases of the folder in the URL, with its ancestors open", async () => {
    const server = repository(["view", "repository"]);
    await renderApp("/projects/1/repository?folder=3");
    const tree = await screen.findByRole("tree", { name: "Folders" });
    const items = await within(tree).findAllByRole("treeitem");
    expect(items.map((i) => i.textContent?.replace(/[▸▾]/, ""))).toEqual(["Checkout", "Payments", "Accounts"]);
    expect(within(tree).getByRole("treeitem", { name: "Payments" }).getAttribute("aria-selected")).toBe("true");
    await screen.findByRole("link", { name: "Pay by card" });
    const list = server.callsTo("GET /api/v1/x/projects/1/cases")[0]!;
    expect(list.search.get("folder_id")).toBe("3");
    expect(list.search.get("include_subfolders")).toBe("true");
  });

  it("moves the focus with the arrow keys and reorders with Alt+↑", async () => {
    const server = repository(["view", "repository"], {
      "POST /api/v1/x/folders/2/move": json({ result: [] }),
    });
    await renderApp("/projects/1/repository");
    const tree = await screen.findByRole("tree", { name: "Folders" });
    const checkout = await within(tree).findByRole("treeitem", { name: "Checkout" });
    checkout.focus();
    fireEvent.keyDown(checkout, { key: "ArrowRight" });
    await within(tree).findByRole("treeitem", { name: "Payments" });
    fireEvent.keyDown(checkout, { key: "ArrowDown" });
    await waitFor(() => expect(document.activeElement?.textContent).toContain("Payments"));
    const accounts = within(tree).getByRole("treeitem", { name: "Accounts" });
    fireEvent.keyDown(accounts, { key: "ArrowUp", altKey: true });
    await waitFor(() => expect(server.callsTo("POST /api/v1/x/folders/2/move")).toHaveLength(1));
    expect(server.callsTo("POST /api/v1/x/folders/2/move")[0]!.body).toEqual({ parent_id: null, position: 0 });
  });

  it("keeps the selection in the URL and bulk-changes the state of the selected cases", async () => {
    const server = repository(["view", "repository"], { "PATCH /api/v1/projects/1/cases": json({ result: [] }) });
    const view = await renderApp("/projects/1/repository");
    fireEvent.click(await screen.findByRole("checkbox", { name: "Select Pay by card" }));
    await waitFor(() => expect(view.location()).toContain("selected=11"));
    const bulk = await screen.findByRole("region", { name: "Bulk actions" });
    fireEvent.change(within(bulk).getByLabelText("New state"), { target: { value: "1" } });
    fireEvent.click(within(bulk).getByRole("button", { name: "Apply to 1 case" }));
    await waitFor(() => expect(server.callsTo("PATCH /api/v1/projects/1/cases")).toHaveLength(1));
    expect(server.callsTo("PATCH /api/v1/projects/1/cases")[0]!.body).toEqual({ ids: [11], state_id: 1 });
  });

  it("says what deleting a folder takes with it before it deletes", async () => {
    const server = repository(["view", "repository"], {
      "GET /api/v1/x/folders/1/contents": json({ result: { folder_id: 1, folders: 2, cases: 5, attachments: 1 } }),
      "DELETE /api/v1/projects/1/folders": noContent,
    });
    await renderApp("/projects/1/repository?folder=1");
    fireEvent.click(await screen.findByRole("button", { name: "Delete folder" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete the folder “Checkout”?" });
    await within(dialog).findByText(/2 sub-folders, 5 cases and 1 attachment/);
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete folder" }));
    await waitFor(() => expect(server.callsTo("DELETE /api/v1/projects/1/folders")).toHaveLength(1));
    expect(server.callsTo("DELETE /api/v1/projects/1/folders")[0]!.body).toEqual({ ids: [1] });
  });

  it("opens a closed parent when a folder is added to it, so the new folder is in sight", async () => {
    const wallets = folder(5, "Wallets", 1, 2);
    let folders = FOLDERS;
    repository(["view", "repository"], {
      "GET /api/v1/projects/1/folders": () => json(page(folders)),
      "POST /api/v1/projects/1/folders": () => {
        folders = [...FOLDERS, wallets];
        return json({ result: [wallets] }, 201);
      },
    });
    await renderApp("/projects/1/repository?folder=1");
    const tree = await screen.findByRole("tree", { name: "Folders" });
    expect(within(tree).getByRole("treeitem", { name: "Checkout" }).getAttribute("aria-expanded")).toBe("false");
    fireEvent.change(await screen.findByLabelText("New folder in “Checkout”"), { target: { value: "Wallets" } });
    fireEvent.click(screen.getByRole("button", { name: "Add folder" }));
    expect(await within(tree).findByRole("treeitem", { name: "Wallets" })).toBeTruthy();
    expect(within(tree).getByRole("treeitem", { name: "Checkout" }).getAttribute("aria-expanded")).toBe("true");
  });

  it("shows a rename error next to the tree and keeps the typed name", async () => {
    repository(["view", "repository"], {
      "PATCH /api/v1/projects/1/folders": failure(422, "The given data was invalid", { name: ["Name is too long."] }),
    });
    await renderApp("/projects/1/repository");
    const item = await screen.findByRole("treeitem", { name: "Accounts" });
    item.focus();
    fireEvent.keyDown(item, { key: "F2" });
    const input = await screen.findByLabelText("New name of the folder “Accounts”");
    fireEvent.change(input, { target: { value: "Accounts and more" } });
    fireEvent.submit(input.closest("form")!);
    expect((await screen.findByRole("alert")).textContent).toBe("Name is too long.");
    expect((screen.getByLabelText("New name of the folder “Accounts”") as HTMLInputElement).value).toBe(
      "Accounts and more",
    );
  });

  it("hides every write control from a read-only user", async () => {
    repository(["view"]);
    await renderApp("/projects/1/repository");
    const item = await screen.findByRole("treeitem", { name: "Checkout" });
    await screen.findByRole("link", { name: "Pay by card" });
    expect(item.getAttribute("draggable")).toBe("false");
    for (const name of ["Create case", "Add folder", "Move to…", "Delete folder"]) {
      expect(screen.queryByRole("button", { name })).toBeNull();
    }
    expect(screen.queryAllByRole("checkbox")).toEqual([]);
  });
});
