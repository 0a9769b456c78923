import type {
  CreateSessionResult,
  Session,
  SessionAttachment,
  SessionRecording,
  SessionResult,
  UpdateSession,
} from "@assay/api";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api } from "../../api/client";
import { uploadFile } from "../../api/upload";

/** One session as Assay records it: Testmo's Session plus charter, notes and timer (`/x/sessions/{id}`). */
export function sessionRecordingQuery(sessionId: number) {
  return queryOptions({
    queryKey: ["sessions", sessionId],
    queryFn: async ({ signal }) =>
      (await api.get<{ result: SessionRecording }>(`/x/sessions/${sessionId}`, { signal })).result,
  });
}

/** The names of the session's milestone and people (Testmo's read with expands). */
export function useSessionNames(sessionId: number) {
  return useQuery({
    queryKey: ["sessions", sessionId, "names"],
    queryFn: ({ signal }) =>
      api.get<{ result: Session; expands: Record<string, { id: number; name: string }[]> }>(`/sessions/${sessionId}`, {
        query: { expands: "milestones,users" },
        signal,
      }),
  });
}

export function useSessionRecording(sessionId: number) {
  return useQuery(sessionRecordingQuery(sessionId));
}

export function useSessionResults(sessionId: number) {
  return useQuery({
    queryKey: ["sessions", sessionId, "results"],
    queryFn: async ({ signal }) =>
      (await api.get<{ result: SessionResult[] }>(`/x/sessions/${sessionId}/results`, { signal })).result,
  });
}

export function useSessionAttachments(sessionId: number) {
  return useQuery({
    queryKey: ["sessions", sessionId, "attachments"],
    queryFn: async ({ signal }) =>
      (await api.get<{ result: SessionAttachment[] }>(`/x/sessions/${sessionId}/attachments`, { signal })).result,
  });
}

/** Puts the server's answer in the cache, so the page shows exactly what was stored. */
function useRecordingWrite<T>(sessionId: number, write: (body: T) => Promise<SessionRecording>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (recording) => {
      queryClient.setQueryData(sessionRecordingQuery(sessionId).queryKey, recording);
      void queryClient.invalidateQueries({ queryKey: ["sessions", sessionId, "names"] });
    },
  });
}

export function useUpdateSession(sessionId: number) {
  return useRecordingWrite(
    sessionId,
    async (body: UpdateSession) =>
      (await api.patch<{ result: SessionRecording }>(`/x/sessions/${sessionId}`, body)).result,
  );
}

export function useCloseSession(sessionId: number) {
  return useRecordingWrite(
    sessionId,
    async (_: undefined) => (await api.post<{ result: SessionRecording }>(`/x/sessions/${sessionId}/close`)).result,
  );
}

export function useAddResult(sessionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateSessionResult) =>
      (await api.post<{ result: SessionResult }>(`/x/sessions/${sessionId}/results`, body)).result,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["sessions", sessionId] });
    },
  });
}

/** One file for the session, with progress (0–1). */
export async function uploadSessionFile(
  sessionId: number,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<SessionAttachment> {
  const upload = uploadFile<{ result: SessionAttachment[] }>(`/x/sessions/${sessionId}/attachments`, file, {
    onProgress,
  });
  const [attachment] = (await upload.done).result;
  if (!attachment) throw new ApiError(500, "The server stored no file. Try again.");
  return attachment;
}

export function useUploadFile(sessionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress }: { file: File; onProgress: (fraction: number) => void }) =>
      uploadSessionFile(sessionId, file, onProgress),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["sessions", sessionId, "attachments"] }),
  });
}

/** "1:02:03" or "02:03": a running timer's face. */
export function formatClock(micros: number): string {
  const total = Math.floor(micros / 1_000_000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}
