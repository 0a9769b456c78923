import Type, { type Static } from "typebox";
import { Datetime, Id, MAX_INTEGER, NullableDatetime, NullableId, NullableString } from "./common.js";
import { LIMITS } from "./limits.js";
import { Session } from "./manual.js";

/**
 * Recording exploratory sessions: Assay's `/api/v1/x` extension (Testmo's API
 * only reads sessions). Charter and notes are plain text; durations are
 * microseconds like every `elapsed`.
 */

const Name = Type.String({ minLength: 1, maxLength: LIMITS.string });
const Tag = Type.String({ minLength: 1, maxLength: LIMITS.string });
const Micros = Type.Integer({ minimum: 0, maximum: MAX_INTEGER });
/** Plain text; long enough for a session's worth of notes. */
export const SESSION_TEXT_MAX = 65_536;
const Text = Type.String({ maxLength: SESSION_TEXT_MAX });
const NullableText = Type.Union([Text, Type.Null()]);

export const CreateSession = Type.Object({
  name: Name,
  charter: Type.Optional(NullableText),
  template_id: Type.Optional(Id),
  milestone_id: Type.Optional(NullableId),
  config_id: Type.Optional(NullableId),
  assignee_id: Type.Optional(NullableId),
  estimate: Type.Optional(Type.Union([Micros, Type.Null()])),
  tags: Type.Optional(Type.Array(Tag, { maxItems: LIMITS.tags })),
});
export type CreateSession = Static<typeof CreateSession>;

export const SESSION_TIMER_ACTIONS = ["start", "pause"] as const;
export type SessionTimerAction = (typeof SESSION_TIMER_ACTIONS)[number];

/** Every field is optional; `timer` starts or pauses the timer, `elapsed` corrects the time recorded so far. */
export const UpdateSession = Type.Object({
  name: Type.Optional(Name),
  charter: Type.Optional(NullableText),
  notes: Type.Optional(NullableText),
  milestone_id: Type.Optional(NullableId),
  assignee_id: Type.Optional(NullableId),
  estimate: Type.Optional(Type.Union([Micros, Type.Null()])),
  tags: Type.Optional(Type.Array(Tag, { maxItems: LIMITS.tags })),
  timer: Type.Optional(Type.Union([Type.Literal("start"), Type.Literal("pause")])),
  elapsed: Type.Optional(Micros),
});
export type UpdateSession = Static<typeof UpdateSession>;

/** A Testmo Session plus what Assay records on it. */
export const SessionRecording = Type.Object({
  ...Session.properties,
  charter: NullableString,
  notes: NullableString,
  /** when the running timer was started; null while paused */
  timer_started_at: NullableDatetime,
  /** `elapsed` plus the running timer's span, at the time of this answer */
  elapsed_now: Micros,
});
export type SessionRecording = Static<typeof SessionRecording>;
export const SessionRecordingResult = Type.Object({ result: SessionRecording });

export const CreateSessionResult = Type.Object({
  status_id: Id,
  note: Type.Optional(NullableText),
  elapsed: Type.Optional(Micros),
});
export type CreateSessionResult = Static<typeof CreateSessionResult>;

/** A finding of a session: a status and a plain-text note. */
export const SessionResult = Type.Object({
  id: Id,
  session_id: Id,
  status_id: Id,
  note: NullableString,
  elapsed: Micros,
  created_at: Datetime,
  created_by: NullableId,
});
export type SessionResult = Static<typeof SessionResult>;
export const SessionResultList = Type.Object({ result: Type.Array(SessionResult) });
export const SessionResultCreated = Type.Object({ result: SessionResult });

export const SessionAttachment = Type.Object({
  id: Id,
  session_id: Id,
  name: Type.String(),
  mime_type: Type.String(),
  size: Micros,
  created_at: Datetime,
  created_by: NullableId,
  /** `/api/v1/x/session-attachments/{id}/download`, served as a download */
  path: Type.String(),
});
export type SessionAttachment = Static<typeof SessionAttachment>;
export const SessionAttachmentList = Type.Object({ result: Type.Array(SessionAttachment) });
