import "./insights.css";
import { useId } from "react";

/**
 * A choice of a few options shown side by side (native radio buttons in a fieldset: arrow keys move
 * between them, the group has its legend as its name).
 */
export function SegmentedControl<T extends string>({
  legend,
  options,
  value,
  onChange,
}: {
  legend: string;
  options: readonly { value: T; label: string; title?: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  const name = useId();
  return (
    <fieldset className="segmented-group">
      <legend className="segmented-group__legend">{legend}</legend>
      <div className="segmented">
        {options.map((option) => (
          <label key={option.value} title={option.title}>
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={option.value === value}
              onChange={() => onChange(option.value)}
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
