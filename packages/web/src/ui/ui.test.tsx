import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { ErrorState } from "./ErrorState";
import { ExternalLink, safeHref } from "./ExternalLink";
import { AutomationStatusChip, ResultStatusChip, WorkStateChip } from "./StatusChip";
import { Time } from "./Time";

afterEach(cleanup);

describe("ExternalLink: only http(s) URLs become links", () => {
  it.each([
    ["https://ci.example.com/build/42", "https://ci.example.com/build/42"],
    ["http://jenkins:8080/job/x", "http://jenkins:8080/job/x"],
    ["  https://x.example/  ", "https://x.example/"],
    ["javascript:alert(1)", null],
    ["JaVaScRiPt:alert(1)", null],
    ["data:text/html,<script>alert(1)</script>", null],
    ["vbscript:msgbox", null],
    ["file:///etc/passwd", null],
    ["/relative/path", null],
    ["", null],
    [null, null],
  ])("%s → %s", (url, href) => {
    expect(safeHref(url)).toBe(href);
  });

  it("renders a safe URL as a link that opens without opener or referrer", () => {
    render(<ExternalLink href="https://ci.example.com/1">Build 1</ExternalLink>);
    const link = screen.getByRole("link", { name: "Build 1 (opens in a new tab)" });
    expect(link.getAttribute("href")).toBe("https://ci.example.com/1");
    expect(link.getAttribute("rel")).toBe("noopener noreferrer nofollow");
    expect(link.getAttribute("target")).toBe("_blank");
  });

  it("renders anything else as text", () => {
    const hostile = ["javascript", "alert(document.cookie)"].join(":");
    const { container } = render(<ExternalLink href={hostile} />);
    expect(screen.queryByRole("link")).toBeNull();
    expect(container.textContent).toBe("javascript:alert(document.cookie)");
  });
});

describe("status chips say their status in words", () => {
  it("names result and automation statuses", () => {
    render(
      <>
        <ResultStatusChip statusId={3} />
        <ResultStatusChip statusId={6} />
        <ResultStatusChip statusId={9} name="Flaked" isFailed />
        <AutomationStatusChip status={4} />
      </>,
    );
    expect(screen.getByText("Failed").className).toBe("chip chip--failed");
    expect(screen.getByText("Skipped").className).toBe("chip chip--skipped");
    expect(screen.getByText("Flaked").className).toBe("chip chip--failed");
    expect(screen.getByText("Running").className).toBe("chip chip--running");
  });

  it("says where planned work stands, in each kind's words, not started outlined", () => {
    const { container } = render(
      <>
        <WorkStateChip kind="manual run" done={false} started={false} />
        <WorkStateChip kind="manual run" done={false} started />
        <WorkStateChip kind="session" done={false} started />
        <WorkStateChip kind="milestone" done started />
        <WorkStateChip kind="session" done started />
      </>,
    );
    expect([...container.querySelectorAll(".chip")].map((chip) => [chip.textContent, chip.className])).toEqual([
      ["Not started", "chip chip--pending"],
      ["In progress", "chip chip--running"],
      ["Open", "chip chip--running"],
      ["Completed", "chip chip--passed"],
      ["Closed", "chip chip--neutral"],
    ]);
  });
});

describe("Time", () => {
  it("shows a relative time with the absolute one as title, or a fallback", () => {
    const { container } = render(
      <>
        <Time value={new Date(Date.now() - 5 * 60_000).toISOString()} />
        <Time value={null} fallback="Never" />
      </>,
    );
    const time = container.querySelector("time")!;
    expect(time.textContent).toBe("5 minutes ago");
    expect(time.getAttribute("title")).toMatch(/\d{4}/);
    expect(screen.getByText("Never")).toBeTruthy();
  });
});

describe("ErrorState", () => {
  it("titles API errors by status and shows the server's message", () => {
    render(<ErrorState error={new ApiError(403, "You have no access to project 2.")} />);
    expect(screen.getByRole("heading").textContent).toBe("No access");
    expect(screen.getByRole("alert").textContent).toContain("You have no access to project 2.");
  });
});
