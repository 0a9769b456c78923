import { createMemoryHistory } from "@tanstack/react-router";
import { act, render } from "@testing-library/react";
import { App } from "../app/App";
import { createQueryClient } from "../app/query-client";
import { createAppRouter } from "../app/router";

/**
 * Renders the whole app at `path` (memory history), as a user would open it: the real routes, guards
 * and layouts. Set the server's answers with `fakeApi` first. Waits for the first navigation.
 */
export async function renderApp(path: string) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({
    queries: { ...queryClient.getDefaultOptions().queries, retry: false, gcTime: Number.POSITIVE_INFINITY },
  });
  const history = createMemoryHistory({ initialEntries: [path] });
  const router = createAppRouter({ queryClient, history });
  const view = render(<App router={router} queryClient={queryClient} />);
  await act(() => router.load());
  return {
    ...view,
    router,
    queryClient,
    /** Path and query string the app is at now. */
    location: () => router.state.location.href,
  };
}
