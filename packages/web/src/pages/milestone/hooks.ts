import { useQuery } from "@tanstack/react-query";
import { milestoneProgressQuery, milestoneQuery } from "../milestones/hooks";

export function useMilestone(milestoneId: number) {
  return useQuery(milestoneQuery(milestoneId));
}

export function useMilestoneProgress(milestoneId: number) {
  return useQuery(milestoneProgressQuery(milestoneId));
}
