/**
 * A project's analysis settings, versioned (src/core/settings/analysis-settings.ts): reading the
 * current or a given version, saving a new one (audited "settings.save"), and pinning the current
 * one when a run starts. Saved versions are immutable, so a result's version always means the same
 * settings. A project that never saved any reports with version 0, the defaults; the first run
 * pins them as version 1 so that its results can name their version.
 */
import "server-only";
import {
  DEFAULT_ANALYSIS_SETTINGS,
  parseAnalysisSettings,
  type AnalysisSettings,
} from "~/core/settings/analysis-settings";
import { changeProject } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { Prisma } from "~/generated/prisma/client";

export type SettingsVersion = {
  /** null for version 0 (the defaults, never saved). */
  id: string | null;
  version: number;
  settings: AnalysisSettings;
  createdAt: Date | null;
  createdBy: string | null;
};

const SETTINGS_SELECT = {
  id: true,
  version: true,
  settings: true,
  createdAt: true,
  createdById: true,
} as const satisfies Prisma.AnalysisSettingsSelect;

type SettingsRow = Prisma.AnalysisSettingsGetPayload<{ select: typeof SETTINGS_SELECT }>;

function toVersion(row: SettingsRow): SettingsVersion {
  return {
    id: row.id,
    version: row.version,
    settings: parseAnalysisSettings(row.settings),
    createdAt: row.createdAt,
    createdBy: row.createdById,
  };
}

const DEFAULT_VERSION: SettingsVersion = {
  id: null,
  version: 0,
  settings: DEFAULT_ANALYSIS_SETTINGS,
  createdAt: null,
  createdBy: null,
};

/** The current settings (newest saved version, or version 0) or, with `version`, that version. */
export async function getProjectSettings(options: {
  db: Db;
  projectId: string;
  version?: number;
}): Promise<SettingsVersion> {
  const { db, projectId, version } = options;
  if (version === 0) return DEFAULT_VERSION;
  const row = await db.analysisSettings.findFirst({
    where: { projectId, ...(version === undefined ? {} : { version }) },
    orderBy: { version: "desc" },
    select: SETTINGS_SELECT,
  });
  if (row) return toVersion(row);
  if (version === undefined) return DEFAULT_VERSION;
  throw new AppError("NOT_FOUND", `Settings version ${version} not found`);
}

/** Every saved version, newest first (version 0 is not listed). */
export async function listProjectSettings(options: { db: Db; projectId: string }): Promise<SettingsVersion[]> {
  const rows = await options.db.analysisSettings.findMany({
    where: { projectId: options.projectId },
    orderBy: { version: "desc" },
    select: SETTINGS_SELECT,
    take: 200,
  });
  return rows.map(toVersion);
}

/** The settings checked for a project: valid, and a chosen model version belongs to it. */
async function checkedSettings(db: Db, projectId: string, value: unknown): Promise<AnalysisSettings> {
  let settings: AnalysisSettings;
  try {
    settings = parseAnalysisSettings(value);
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
  if (settings.model.kind === "version") {
    const version = await db.modelVersion.findFirst({
      where: { id: settings.model.modelVersionId, OR: [{ projectId }, { projectId: null }] },
      select: { id: true },
    });
    if (!version) throw new AppError("NOT_FOUND", "Model version not found");
  }
  return settings;
}

/**
 * Saves `settings` as the project's next version (its current settings from now on). Saving
 * settings equal to the current ones returns the current version instead of a copy.
 */
export async function saveProjectSettings(options: {
  db: Db;
  projectId: string;
  actorId: string;
  settings: unknown;
}): Promise<SettingsVersion> {
  const { db, projectId } = options;
  const settings = await checkedSettings(db, projectId, options.settings);
  for (let attempt = 0; ; attempt++) {
    const current = await getProjectSettings({ db, projectId });
    if (current.id !== null && JSON.stringify(current.settings) === JSON.stringify(settings)) return current;
    try {
      const row = await changeProject(
        { db, projectId, actorId: options.actorId },
        {
          action: "settings.save",
          target: (saved: SettingsRow) => ({ type: "AnalysisSettings", id: saved.id }),
          data: (saved: SettingsRow) => ({ version: saved.version }),
        },
        (tx) =>
          tx.analysisSettings.create({
            data: { projectId, version: current.version + 1, settings, createdById: options.actorId },
            select: SETTINGS_SELECT,
          }),
      );
      return toVersion(row);
    } catch (error) {
      // Two saves at once: both read the same current version; the second retries on top.
      const conflict = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
      if (!conflict || attempt >= 3) throw error;
    }
  }
}

/**
 * The settings a run uses: `version` when given, else the current ones; version 0 (never saved) is
 * saved as version 1 first, so every result can name a saved version.
 */
export async function pinProjectSettings(options: {
  db: Db;
  projectId: string;
  actorId: string;
  version?: number;
}): Promise<SettingsVersion & { id: string }> {
  const found = await getProjectSettings(options);
  if (found.id !== null) return { ...found, id: found.id };
  const saved = await saveProjectSettings({ ...options, settings: found.settings });
  if (saved.id === null) throw new Error("saved settings have no id");
  return { ...saved, id: saved.id };
}
