/**
 * The argument handling every CLI command shares: parse with node:util, answer --help with the
 * usage (exit 0), and a malformed command line with the error and the usage (exit 2).
 */
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
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return { kind: "exit", code: 2 };
  }
}
