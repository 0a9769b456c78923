import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dataColumns } from "./DataTable";
import { VirtualTable } from "./VirtualTable";

afterEach(cleanup);

// happy-dom lays nothing out: give every element a 1024×640 box, as a browser would the scroll container
const saved = ["clientHeight", "clientWidth"].map(
  (name) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)] as const,
);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 640 });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1024 });
});
afterAll(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
  }
});

interface Row {
  id: number;
  name: string;
  elapsed: number;
}

const col = dataColumns<Row>();
const columns = col.columns([
  col.accessor("name", { header: "Name", sortFn: "text", meta: { width: "minmax(200px, 1fr)" } }),
  col.accessor("elapsed", { header: "Duration", meta: { align: "end", width: "120px" } }),
]);
const rows: Row[] = Array.from({ length: 100_000 }, (_, i) => ({ id: i, name: `test ${i}`, elapsed: i % 997 }));
const getRowId = (row: Row) => String(row.id);

describe("VirtualTable", () => {
  it("puts only the rows in view in the DOM, and tells assistive technology the full count", () => {
    render(<VirtualTable caption="Tests" columns={columns} data={rows} getRowId={getRowId} rowHeight={32} />);
    const table = screen.getByRole("table", { name: "Tests" });
    expect(table.getAttribute("aria-rowcount")).toBe("100001");
    const bodyRows = within(table).getAllByRole("row").slice(1);
    expect(bodyRows.length).toBeGreaterThan(0);
    expect(bodyRows.length).toBeLessThan(60);
    expect(bodyRows[0]!.getAttribute("aria-rowindex")).toBe("2");
    expect(within(bodyRows[0]!).getAllByRole("cell")[0]!.textContent).toBe("test 0");
    // the body is as tall as all rows, so the scrollbar is true
    const body = table.querySelector("tbody")!;
    expect(body.style.height).toBe(`${100_000 * 32}px`);
  });

  it("sorts all rows from the header, not only the rendered ones", () => {
    render(<VirtualTable caption="Tests" columns={columns} data={rows} getRowId={getRowId} />);
    const header = screen.getByRole("columnheader", { name: /Duration/ });
    fireEvent.click(within(header).getByRole("button"));
    const sortedBy = header.getAttribute("aria-sort");
    const first = within(screen.getAllByRole("row")[1]!).getAllByRole("cell")[1]!.textContent;
    expect(sortedBy === "descending" ? first === "996" : first === "0").toBe(true);
    fireEvent.click(within(header).getByRole("button"));
    const again = within(screen.getAllByRole("row")[1]!).getAllByRole("cell")[1]!.textContent;
    expect(header.getAttribute("aria-sort") === "descending" ? again === "996" : again === "0").toBe(true);
    expect(header.getAttribute("aria-sort")).not.toBe(sortedBy);
  });

  it("shows the empty state without rows", () => {
    render(<VirtualTable caption="Tests" columns={columns} data={[]} empty={<p>No tests match.</p>} />);
    expect(screen.getByText("No tests match.")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });
});
