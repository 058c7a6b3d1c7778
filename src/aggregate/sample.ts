// A bounded, order-independent sample of distinct strings: keeps the `cap` smallest, so parallel
// readers merged in any order agree with one reader.

export interface Sample {
  values: string[];
  /** More distinct values were seen than kept. */
  more: boolean;
}

export const SAMPLE_CAP = 16;

export function emptySample(): Sample {
  return { values: [], more: false };
}

export function addToSample(s: Sample, value: string, cap = SAMPLE_CAP): void {
  const v = s.values;
  if (v.includes(value)) return;
  if (v.length < cap) {
    v.push(value);
    return;
  }
  s.more = true;
  let maxAt = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[maxAt]!) maxAt = i;
  if (value < v[maxAt]!) v[maxAt] = value;
}

export function mergeSample(into: Sample, from: Sample, cap = SAMPLE_CAP): void {
  if (from.more) into.more = true;
  for (const value of from.values) addToSample(into, value, cap);
}

export function sortedSample(s: Sample): string[] {
  return [...s.values].sort();
}
