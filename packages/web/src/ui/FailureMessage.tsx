import "./insights.css";
import { PLACEHOLDERS, splitPlaceholders } from "./insights";

/**
 * A failure group's normalised message with its placeholders (`<num>`, `<str>`, …) set apart from the
 * literal text, each titled with what it stands for. Rendered as text only: messages are untrusted.
 */
export function FailureMessage({ message, className }: { message: string; className?: string }) {
  const parts = splitPlaceholders(message);
  return (
    <code className={["failure-message", className].filter(Boolean).join(" ")}>
      {parts.map((part, index) =>
        "placeholder" in part ? (
          <abbr
            // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed string
            key={index}
            className="failure-message__placeholder"
            title={`Variable part: ${PLACEHOLDERS[part.placeholder] ?? part.placeholder}`}
          >
            {`<${part.placeholder}>`}
          </abbr>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed string
          <span key={index}>{part.text}</span>
        ),
      )}
    </code>
  );
}
