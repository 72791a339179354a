// @vitest-environment node
// The generation check: src/lib/api/schema.ts must be what scripts/api-types.mjs makes from the
// running API's /openapi.json (tests/web/test_web.py writes it and sets OPENAPI_JSON). A changed
// API fails here until `npm run api-types` is run and the result committed.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generate, OUTPUT, pruneDanglingSchemas } from "../../scripts/api-types.mjs";

function loadSpec(): unknown {
  const path = process.env.OPENAPI_JSON;
  if (!path) throw new Error("OPENAPI_JSON is not set: run through tests/web/test_web.py, which writes the API's spec");
  return JSON.parse(readFileSync(path, "utf8"));
}

describe("generated API types", () => {
  it("are current with the API's OpenAPI document", async () => {
    const expected = await generate(loadSpec());
    const committed = readFileSync(OUTPUT, "utf8");
    expect(committed === expected, "src/lib/api/schema.ts is stale: run `npm run api-types` against the API and commit it").toBe(true);
  });

  it("leave out only unused schemas whose $refs dangle", () => {
    const spec = {
      paths: { "/a": { get: { responses: { 200: { content: { "application/json": { schema: { $ref: "#/components/schemas/Used" } } } } } } } },
      components: {
        schemas: {
          Used: { properties: { x: { type: "string" } } },
          Broken: { properties: { y: { $ref: "#/components/schemas/Gone" } } },
          UsedBroken: { properties: { z: { $ref: "#/components/schemas/Gone" } } },
        },
      },
    };
    spec.paths["/a"].get.responses[200].content["application/json"].schema = { $ref: "#/components/schemas/UsedBroken" } as never;
    expect(pruneDanglingSchemas(spec)).toEqual(["Broken"]);
    expect(Object.keys(spec.components.schemas)).toEqual(["Used", "UsedBroken"]);
  });
});
