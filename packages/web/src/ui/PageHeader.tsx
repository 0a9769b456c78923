import type { ReactNode } from "react";
import { usePageTitle } from "./usePageTitle";

/** A page's `<h1>` (also the document title) with optional text and actions on the right. */
export function PageHeader({
  title,
  documentTitle,
  children,
  actions,
}: {
  title: ReactNode;
  /** The browser tab's title when `title` is not plain text. */
  documentTitle?: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  usePageTitle(documentTitle ?? (typeof title === "string" ? title : undefined));
  return (
    <div className="page-header">
      <div className="page-header__text">
        <h1 className="page-header__title">{title}</h1>
        {children ? <div className="page-header__intro">{children}</div> : null}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </div>
  );
}
