import { describe, expect, it } from "vitest";
import { canonicalJson, hashParams } from "../canonical-params";

describe("canonical params", () => {
  it("sorts keys at every depth and drops undefined, so field order never changes the hash", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(hashParams({ ks: [3], width: 512 })).toBe(hashParams({ width: 512, ks: [3] }));
    expect(hashParams({ ks: [3], width: 512 })).not.toBe(hashParams({ ks: [3, 2], width: 512 }));
  });

  it("pins the hash of the default parameters (persisted: a change orphans every stored result)", () => {
    const params = {
      analysis: { version: 1, width: 512, glcmWindow: 5, ks: [3], kmeansMethod: "exact", seed: 0 },
      classifier: null,
    };
    expect(canonicalJson(params)).toBe(
      '{"analysis":{"glcmWindow":5,"kmeansMethod":"exact","ks":[3],"seed":0,"version":1,"width":512},"classifier":null}',
    );
    expect(hashParams(params)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses values JSON cannot carry exactly", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson([Infinity])).toThrow(TypeError);
  });
});
