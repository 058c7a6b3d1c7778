import { describe, expect, it } from "vitest";
import { eventToRecord, parseEventText } from "../../src/sources/event.js";
import { event, roleUser } from "../support/events.js";

/** What a full parse gives, less any of the bodies (which no record field reads). */
function acceptable(text: string): unknown[] {
  const variants = [[], ["requestObject"], ["responseObject"], ["requestObject", "responseObject"]];
  return variants.map((drop) => {
    const e = JSON.parse(text);
    for (const k of drop) delete e[k];
    return e;
  });
}

describe("parseEventText skips bodies and nothing else", () => {
  it("drops the bodies of an event in EKS's member order", () => {
    const { requestReceivedTimestamp, stageTimestamp, annotations, ...head } = event();
    const text = JSON.stringify({
      ...head,
      requestObject: { a: 1 },
      responseObject: { b: 2 },
      requestReceivedTimestamp,
      stageTimestamp,
      annotations,
    });
    expect(parseEventText(text)).not.toHaveProperty("requestObject");
    expect(parseEventText(text)).not.toHaveProperty("responseObject");
  });
  const base = event({ user: roleUser("r", { groups: ["g"] }) });
  const tricky = {
    // Bodies full of the markers the cut looks for.
    requestObject: {
      metadata: { annotations: { 'a,"requestReceivedTimestamp":': "x" } },
      user: "u",
      verb: "v",
      requestReceivedTimestamp: "nested",
    },
    responseObject: {
      kind: "SubjectAccessReview",
      spec: { user: "alice", groups: ["x"] },
      status: { allowed: true },
    },
  };
  const cases: Record<string, Record<string, unknown>> = {
    "no body": base,
    "EKS order with bodies": (() => {
      const { requestReceivedTimestamp, stageTimestamp, annotations, ...head } = base;
      return { ...head, ...tricky, requestReceivedTimestamp, stageTimestamp, annotations };
    })(),
    "sorted keys (another exporter)": Object.fromEntries(
      Object.entries({ ...base, ...tricky }).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
    "body before a needed member": { requestObject: tricky.requestObject, ...base },
    "only a response body": (() => {
      const { requestReceivedTimestamp, stageTimestamp, annotations, ...head } = base;
      return {
        ...head,
        responseObject: tricky.responseObject,
        requestReceivedTimestamp,
        stageTimestamp,
        annotations,
      };
    })(),
    "no requestReceivedTimestamp at top level": (() => {
      const all: Record<string, unknown> = { ...base, ...tricky };
      delete all.requestReceivedTimestamp;
      return all;
    })(),
    "user.extra with a marker-like key": {
      ...base,
      user: { ...(base.user as object), extra: { ',"requestObject":': ["x"] } },
      ...tricky,
    },
  };
  for (const [name, e] of Object.entries(cases)) {
    it(name, () => {
      const text = JSON.stringify(e);
      expect(acceptable(text)).toContainEqual(parseEventText(text));
      expect(eventToRecord(parseEventText(text))).toEqual(eventToRecord(JSON.parse(text)));
    });
  }
  it("still throws on invalid JSON", () => {
    expect(() => parseEventText('{"kind":"Event","requestObject":{')).toThrow();
  });
});
