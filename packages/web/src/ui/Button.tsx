import type { ButtonHTMLAttributes } from "react";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

/** The class of a button look, for router `<Link>`s that should look like buttons. */
export function buttonClass(variant: ButtonVariant = "secondary", extra?: string): string {
  return ["button", `button--${variant}`, extra].filter(Boolean).join(" ");
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  /** Work in progress: disabled, with `aria-busy` and the label kept (no layout jump). */
  busy?: boolean;
}

/** A button; `type="button"` unless given (a form's submit button says `type="submit"`). */
export function Button({ variant = "secondary", busy = false, className, disabled, type, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type ?? "button"}
      className={buttonClass(variant, className)}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    />
  );
}
