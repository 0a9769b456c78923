import { type ReactNode, type SelectHTMLAttributes, useId } from "react";

/** A labelled `<select>` in the look of TextField (for filters). */
export function SelectField({
  label,
  className,
  children,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & { label: ReactNode }) {
  const id = useId();
  return (
    <div className={["field", className].filter(Boolean).join(" ")}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <select id={id} className="field__input" {...select}>
        {children}
      </select>
    </div>
  );
}
