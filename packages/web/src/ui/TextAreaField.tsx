import "./insights.css";
import type { ReactNode, Ref, TextareaHTMLAttributes } from "react";
import { FieldFrame } from "./Field";

/** A labelled textarea with an optional hint and error (the multi-line sibling of TextField). */
export function TextAreaField({
  label,
  hint,
  error,
  className,
  ref,
  ...textarea
}: TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  ref?: Ref<HTMLTextAreaElement>;
}) {
  return (
    <FieldFrame label={label} hint={hint} error={error} className={className}>
      {(control) => <textarea ref={ref} {...control} className="field__input field__input--multiline" {...textarea} />}
    </FieldFrame>
  );
}
