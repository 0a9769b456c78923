import { useQuery } from "@tanstack/react-query";
import { failureGroupQuery } from "../../api/insights";

/** One failure group with its tests (up to 100) and newest runs (up to 20). */
export function useFailureGroup(groupId: number) {
  return useQuery(failureGroupQuery(groupId));
}
