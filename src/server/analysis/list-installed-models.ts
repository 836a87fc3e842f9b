import { readdir } from "node:fs/promises";
import { modelsDirectory } from "~/server/inference/session-cache";
import { configuredModel } from "./classify-raster";

export type InstalledModel = { name: string; isDefault: boolean };

/** The .onnx models an analysis can classify with (models/ folder), default first. */
export async function listInstalledModels(): Promise<InstalledModel[]> {
  const fallback = configuredModel();
  let names: string[] = [];
  try {
    names = (await readdir(modelsDirectory())).filter((file) => file.endsWith(".onnx")).map((file) => file.slice(0, -".onnx".length));
  } catch {
    names = []; // no models/ folder: analyses run without classification
  }
  return names
    .sort((a, b) => (a === fallback ? -1 : b === fallback ? 1 : a.localeCompare(b)))
    .map((name) => ({ name, isDefault: name === fallback }));
}
