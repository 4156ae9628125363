// The lab's stories, by name: `timenode lab --scenario <name>` runs one instead of the main job.
import { byzantineStory } from "./byzantine.ts";
import { fencingStory } from "./fencing.ts";
import { hlcStory } from "./hlc.ts";
import { holdoverStory, leapStory } from "./interval-clock.ts";
import { quorumStory } from "./quorum.ts";
import type { Story } from "./story.ts";

export const STORIES: readonly Story[] = [
  quorumStory,
  byzantineStory,
  fencingStory,
  hlcStory,
  leapStory,
  holdoverStory,
];

export function storyNames(): string[] {
  return STORIES.map((s) => s.name);
}

export function findStory(name: string): Story | undefined {
  return STORIES.find((s) => s.name === name);
}
