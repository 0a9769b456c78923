import { useBlocker } from "@tanstack/react-router";
import { ConfirmDialog } from "./ConfirmDialog";

/**
 * While `when` holds, leaving the page asks first: a link or Back inside the app opens this dialog
 * ("Stay" keeps the edit, "Leave" drops it); closing or reloading the tab gets the browser's own prompt.
 */
export function UnsavedChangesGuard({
  when,
  what = "your changes",
  leavingOnly = false,
}: {
  when: boolean;
  what?: string;
  /** Let moves within the page (another `?search`, same path) through: the page handles those itself. */
  leavingOnly?: boolean;
}) {
  const blocker = useBlocker({
    shouldBlockFn: ({ current, next }) => when && (!leavingOnly || current.pathname !== next.pathname),
    enableBeforeUnload: () => when,
    withResolver: true,
  });
  if (blocker.status !== "blocked") return null;
  return (
    <ConfirmDialog
      open
      title="Leave without saving?"
      confirmLabel="Leave"
      cancelLabel="Stay"
      danger
      onConfirm={blocker.proceed}
      onCancel={blocker.reset}
    >
      <p>{`You have not saved ${what}. If you leave now, they are lost.`}</p>
    </ConfirmDialog>
  );
}
