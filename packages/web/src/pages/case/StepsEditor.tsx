import { useState } from "react";
import { Button } from "../../ui/Button";
import { TextAreaField } from "../../ui/TextAreaField";
import { type DraftStep, newStep } from "./case-draft";

/** Steps with their expected results: add, edit, move up/down, remove. Plain text only. */
export function StepsEditor({
  steps,
  canEdit,
  onChange,
}: {
  steps: DraftStep[];
  canEdit: boolean;
  onChange: (steps: DraftStep[]) => void;
}) {
  const [status, setStatus] = useState("");
  const update = (id: number, change: Partial<DraftStep>) =>
    onChange(steps.map((s) => (s.id === id ? { ...s, ...change } : s)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...steps];
    const [step] = next.splice(index, 1);
    next.splice(index + by, 0, step!);
    onChange(next);
    setStatus(`Step ${index + 1} is now step ${index + by + 1}.`);
  };

  return (
    <section className="case-steps" aria-labelledby="steps-title">
      <h2 id="steps-title" className="section-title">
        Steps
      </h2>
      {steps.length === 0 ? <p className="muted">No steps yet.</p> : null}
      <ol className="case-steps__list">
        {steps.map((step, index) => (
          <li key={step.id} className="case-steps__item card">
            <div className="case-steps__fields">
              <TextAreaField
                label={`Step ${index + 1}`}
                value={step.step}
                rows={2}
                readOnly={!canEdit}
                onChange={(event) => update(step.id, { step: event.target.value })}
              />
              <TextAreaField
                label={`Expected result of step ${index + 1}`}
                value={step.expected}
                rows={2}
                readOnly={!canEdit}
                onChange={(event) => update(step.id, { expected: event.target.value })}
              />
            </div>
            {canEdit ? (
              <div className="case-steps__actions">
                <Button
                  variant="ghost"
                  disabled={index === 0}
                  aria-label={`Move up step ${index + 1}`}
                  onClick={() => move(index, -1)}
                >
                  Move up
                </Button>
                <Button
                  variant="ghost"
                  disabled={index === steps.length - 1}
                  aria-label={`Move down step ${index + 1}`}
                  onClick={() => move(index, 1)}
                >
                  Move down
                </Button>
                <Button
                  variant="ghost"
                  aria-label={`Remove step ${index + 1}`}
                  onClick={() => {
                    onChange(steps.filter((s) => s.id !== step.id));
                    setStatus(`Step ${index + 1} removed.`);
                  }}
                >
                  Remove
                </Button>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      {canEdit ? <Button onClick={() => onChange([...steps, newStep()])}>Add step</Button> : null}
      <p className="sr-only" role="status">
        {status}
      </p>
    </section>
  );
}
