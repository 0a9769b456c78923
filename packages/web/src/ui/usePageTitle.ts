import { useEffect } from "react";

export const PRODUCT_NAME = "Assay";

/** Sets the browser tab's title to "<title> · Assay" (just "Assay" without a title). */
export function usePageTitle(title: string | undefined | null): void {
  useEffect(() => {
    if (title === undefined) return;
    document.title = title ? `${title} · ${PRODUCT_NAME}` : PRODUCT_NAME;
  }, [title]);
}
