/**
 * The one configuration schema (src/server/env.ts): README.md's "Configuration" table must list
 * exactly its variables, with their defaults and meanings, and a bad value must name the variable.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envNames, envSchema, parseEnv, parseEnvVar } from "~/server/env";

type Row = { name: string; defaultValue: string; meaning: string };

function configurationSection(): string {
  const readme = readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
  const section = readme.split(/^## /m).find((part) => part.startsWith("Configuration"));
  if (!section) throw new Error('README.md has no "## Configuration" section');
  return section;
}

/** The rows of the first table under "## Configuration" in README.md. */
function readmeConfigurationRows(): Row[] {
  const section = configurationSection();
  const lines = section.split("\n");
  const first = lines.findIndex((line) => line.startsWith("|"));
  const table: string[] = [];
  // One table: contiguous "|" lines (a blank line would split it and leave rows out).
  for (let i = first; i >= 0 && i < lines.length && lines[i]!.startsWith("|"); i++) table.push(lines[i]!);
  return table.slice(2).map((line) => {
    const cells = line
      .slice(1, -1)
      .split("|")
      .map((cell) => cell.trim());
    const name = /^`([A-Z0-9_]+)`$/.exec(cells[0] ?? "")?.[1];
    if (!name || cells.length !== 3)
      throw new Error(`README configuration row not "| \`NAME\` | default | meaning |": ${line}`);
    return { name, defaultValue: cells[1]!, meaning: cells[2]! };
  });
}

describe("the configuration schema", () => {
  it("README's Configuration table is one table listing exactly the schema's variables", () => {
    const readme = readmeConfigurationRows().map((row) => row.name);
    expect(new Set(readme).size, "a variable listed twice").toBe(readme.length);
    expect([...readme].sort()).toEqual([...envNames].sort());
    // A blank line inside the table would leave the rows after it out of the first table.
    const rowsInSection = configurationSection()
      .split("\n")
      .filter((line) => line.startsWith("| `"));
    expect(rowsInSection).toHaveLength(envNames.length);
  });

  it("README states each variable's default and meaning as the schema does", () => {
    const defaults = envSchema.parse({}) as Record<string, unknown>;
    for (const row of readmeConfigurationRows()) {
      const name = row.name as (typeof envNames)[number];
      const value = defaults[name];
      expect(row.defaultValue, `${name} default`).toBe(value === undefined ? "unset" : `\`${String(value)}\``);
      expect(row.meaning, `${name} meaning`).toBe(envSchema.shape[name].description);
    }
  });

  it("describes every variable", () => {
    for (const name of envNames) expect(envSchema.shape[name].description, name).toBeTruthy();
  });

  it("fills defaults and coerces numbers", () => {
    const env = parseEnv({ PORT: "8080", UPLOAD_MAX_BYTES: "1024" });
    expect(env.PORT).toBe(8080);
    expect(env.UPLOAD_MAX_BYTES).toBe(1024);
    expect(env.DATA_DIR).toBe("data");
    expect(env.INFERENCE_PROVIDER).toBe("cpu");
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("treats an empty value as unset and ignores undeclared variables", () => {
    const env = parseEnv({ PORT: "", INFERENCE_MODEL: "", SOMETHING_ELSE: "x" });
    expect(env.PORT).toBe(3000);
    expect(env.INFERENCE_MODEL).toBeUndefined();
    expect(env).not.toHaveProperty("SOMETHING_ELSE");
  });

  it("rejects a bad value with an error naming the variable", () => {
    expect(() => parseEnv({ PORT: "abc" })).toThrow(/invalid configuration: PORT: .*\(web server port\)/);
    expect(() => parseEnv({ WORKER_CONCURRENCY: "0" })).toThrow(/WORKER_CONCURRENCY/);
    expect(() => parseEnv({ INFERENCE_PROVIDER: "tpu" })).toThrow(/INFERENCE_PROVIDER/);
    expect(() => parseEnv({ SEED_DEMO: "yes" })).toThrow(/SEED_DEMO/);
  });

  it("never echoes a rejected value (a short AUTH_SECRET stays out of the logs)", () => {
    expect(() => parseEnv({ AUTH_SECRET: "hunter2" })).toThrow(/AUTH_SECRET/);
    expect(() => parseEnv({ AUTH_SECRET: "hunter2" })).not.toThrow(/hunter2/);
  });

  it("parses one variable without failing on the others", () => {
    expect(parseEnvVar("INFERENCE_PROVIDER", { INFERENCE_PROVIDER: " CUDA ", PORT: "abc" })).toEqual({
      success: true,
      data: "cuda",
    });
    expect(parseEnvVar("INFERENCE_PROVIDER", { INFERENCE_PROVIDER: "tpu" })).toMatchObject({
      success: false,
      raw: "tpu",
      error: expect.stringMatching(/^INFERENCE_PROVIDER: /),
    });
  });
});
