/**
 * Command-line entry point: `npm run cli -- <command> [args...]`.
 *
 * Each command lives in scripts/cli/<command>.ts and exports
 * `run(argv: string[]): Promise<number>` (argv without the command name; returns the exit code).
 * To add one: create scripts/cli/<name>.ts with that export and add a line to COMMANDS below,
 * e.g. `classify: { summary: "...", load: () => import("./cli/classify") },`.
 * Modules are imported only when their command runs, so one command's dependencies (sharp,
 * onnxruntime...) never slow down another.
 */

type CommandModule = { run: (argv: string[]) => Promise<number> };
type Command = { summary: string; load: () => Promise<CommandModule> };

const COMMANDS: Record<string, Command> = {
  analyze: {
    summary: "analyze <image...> --out <dir> [--k <K>]... [--seed <n>]  grey, Otsu, texture, k-means",
    load: () => import("./cli/analyse"),
  },
  classify: {
    summary:
      "classify <image...> [--model <name>] [--head <head.json>] [--classification tiles|centre-crop] [--whole-image] [--json] [--out <dir>]  class, probabilities, CAM PNG",
    load: () => import("./cli/classify"),
  },
  objects: {
    summary:
      "objects <image...> --out <dir> [--pixel-size <v><unit>] [--invert auto|yes|no] [--no-split] [--h <n>] [--min-area <px>] [--exclude-border] [--q <n>] [--width <px>] [--skeleton] [--json]  particles: labels.png, objects.csv, result.json",
    load: () => import("./cli/objects"),
  },
  "sam2-install": {
    summary:
      "sam2-install <folder> --name <name> [--replace] [--check-only] [--json]  check an exported SAM 2 encoder/decoder pair and install it",
    load: () => import("./cli/sam2-install"),
  },
  retrain: {
    summary:
      "retrain --labels <csv: file,label[,group]> [--features cnn|descriptors|both] [--compare] [--folds k] [--out <dir>] [--json]  new head + leave-one-group-out (or grouped k-fold) CV metrics",
    load: () => import("./cli/retrain"),
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(
    ([name, c]) => `  ${c.summary.startsWith(name) ? c.summary : `${name}  ${c.summary}`}`,
  );
  return ["usage: npm run cli -- <command> [args...]", "", "commands:", ...lines].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  const loaded = await command.load();
  return loaded.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
