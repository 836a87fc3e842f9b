/**
 * The argument handling every CLI command shares: parse with node:util, answer --help with the
 * usage (exit 0), and a malformed command line with the error and the usage (exit 2).
 */
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;
type ValueOf<T> = T extends { type: "boolean" }
  ? T extends { multiple: true }
    ? boolean[]
    : boolean
  : T extends { multiple: true }
    ? string[]
    : string;
export type OptionValues<O extends OptionsConfig> = { [K in keyof O]?: ValueOf<O[K]> };

export type CommandLine<O extends OptionsConfig> =
  { kind: "parsed"; values: OptionValues<O>; positionals: string[] } | { kind: "exit"; code: number };

export function parseCommandLine<O extends OptionsConfig>(argv: string[], options: O, usage: string): CommandLine<O> {
  try {
    const withHelp: OptionsConfig = { ...options, help: { type: "boolean", short: "h" } };
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: withHelp });
    if (values.help === true) {
      console.log(usage);
      return { kind: "exit", code: 0 };
    }
    return { kind: "parsed", values: values as OptionValues<O>, positionals };
  } catch (error) {
    return { kind: "exit", code: usageError(error, usage) };
  }
}

/** The options of a command that reads input files and writes into --out. */
const OUT_OPTION = { out: { type: "string", short: "o" } } as const;

export type InputsCommandLine<O extends OptionsConfig> =
  | { kind: "parsed"; values: OptionValues<O & typeof OUT_OPTION>; positionals: string[]; out: string }
  | { kind: "exit"; code: number };

/**
 * parseCommandLine for a command that reads the input files named on the command line and
 * writes into the folder of --out (-o): without either, the usage (exit 2).
 */
export function parseInputsCommandLine<O extends OptionsConfig>(
  argv: string[],
  options: O,
  usage: string,
): InputsCommandLine<O> {
  const commandLine = parseCommandLine(argv, { ...OUT_OPTION, ...options }, usage);
  if (commandLine.kind === "exit") return commandLine;
  const { values, positionals } = commandLine;
  if (!values.out || positionals.length === 0) {
    console.error(usage);
    return { kind: "exit", code: 2 };
  }
  return { kind: "parsed", values, positionals, out: values.out };
}

/** Prints a bad option's message and the usage; returns the exit code of bad usage (2). */
export function usageError(error: unknown, usage: string): number {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  return 2;
}

/** One line for the user about an input that failed: "no such file", "is a directory" or the error's message. */
export function inputErrorMessage(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a directory";
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `processFile` on each input in turn. A failure prints one line naming the file and the
 * other inputs are still processed; returns the exit code: 1 if any input failed, else 0.
 */
export async function forEachInput(files: string[], processFile: (file: string) => Promise<void>): Promise<number> {
  let failures = 0;
  for (const file of files) {
    try {
      await processFile(file);
    } catch (error) {
      failures++;
      console.error(`error: ${file}: ${inputErrorMessage(error)}`);
    }
  }
  return failures > 0 ? 1 : 0;
}

/**
 * The output folder of each input, `<outRoot>/<stem>`: two inputs with the same name
 * (a/input.png, b/input.png) get input, input-2, ... in the order they are asked for.
 */
export function outputDirs(outRoot: string): (file: string) => string {
  const usedStems = new Map<string, number>();
  return (file) => {
    const base = path.parse(file).name;
    const seen = (usedStems.get(base) ?? 0) + 1;
    usedStems.set(base, seen);
    return path.join(outRoot, seen === 1 ? base : `${base}-${seen}`);
  };
}
