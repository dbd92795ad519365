// Types of go-choice.js for the type-checked tests (the site's own JavaScript is not type-checked).
export interface GoCandidate {
  name: string;
  url: string;
  pass7d: number | null;
  weight: number;
}
export const UNKNOWN_SHARE: number;
export function isEligible(entry: unknown, service: string): boolean;
export function weightOf(pass7d: number | null | undefined): number;
export function goCandidates(entries: readonly unknown[], service: string): GoCandidate[];
export function choose<T extends { weight: number }>(candidates: readonly T[], random?: () => number): T | null;
export function destination(frontEnd: string, pasted: string | null | undefined): string;
export function pastedLink(fragment: string | null | undefined): string | null;
