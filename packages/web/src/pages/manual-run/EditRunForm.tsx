import { type FormEvent, useId, useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { SelectField } from "../../ui/SelectField";
import { useConfigs, useMilestoneOptions } from "../manual-runs/hooks";
import { type ManualRunData, useUpdateRun } from "./hooks";

/** Renames an open run or changes its milestone or configuration; a refusal keeps what was entered. */
export function EditRunForm({ data, onDone }: { data: ManualRunData; onDone: () => void }) {
  const { run } = data;
  const update = useUpdateRun(run.id);
  const milestones = useMilestoneOptions(run.project_id);
  const configs = useConfigs(run.project_id);
  const [name, setName] = useState(run.name);
  const [milestoneId, setMilestoneId] = useState(run.milestone_id ? String(run.milestone_id) : "");
  const [configId, setConfigId] = useState(run.config_id ? String(run.config_id) : "");
  const titleId = useId();
  const field = (key: string) => (update.error instanceof ApiError ? update.error.field(key) : undefined);
  // a completed milestone is not offered for new runs, but this run may already have one
  const milestoneOptions = (milestones.data ?? []).map((m) => ({ id: m.id, name: m.name }));
  if (run.milestone_id && !milestoneOptions.some((m) => m.id === run.milestone_id)) {
    milestoneOptions.unshift({
      id: run.milestone_id,
      name: data.milestone ?? `Milestone ${run.milestone_id}`,
    } as never);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const saved = await update
      .mutateAsync({
        name: name.trim(),
        milestone_id: milestoneId ? Number(milestoneId) : null,
        config_id: configId ? Number(configId) : null,
      })
      .catch(() => null);
    if (saved) onDone();
  }

  return (
    <form className="card form manual-run__edit" onSubmit={onSubmit} aria-labelledby={titleId} noValidate>
      <h2 id={titleId} className="section-title">
        Edit the run
      </h2>
      <div className="form__row">
        <TextField
          label="Name"
          required
          maxLength={255}
          value={name}
          error={field("name")}
          onChange={(event) => setName(event.target.value)}
        />
        <SelectField label="Milestone" value={milestoneId} onChange={(event) => setMilestoneId(event.target.value)}>
          <option value="">No milestone</option>
          {milestoneOptions.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Configuration" value={configId} onChange={(event) => setConfigId(event.target.value)}>
          <option value="">No configuration</option>
          {configs.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
      </div>
      {field("milestone_id") || field("config_id") ? (
        <p className="field__error">{[field("milestone_id"), field("config_id")].filter(Boolean).join(" ")}</p>
      ) : null}
      {update.isError ? (
        <p className="form__error" role="alert">
          The run was not saved: {errorMessage(update.error)}
        </p>
      ) : null}
      <div className="manual-run__row">
        <Button type="submit" variant="primary" busy={update.isPending}>
          Save
        </Button>
        <Button
          onClick={() => {
            update.reset();
            onDone();
          }}
        >
          Cancel
        </Button>
      </div>
    </form>
  );
}
