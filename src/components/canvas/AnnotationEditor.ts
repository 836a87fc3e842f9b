/**
 * The annotation editor: owns the regions being edited, the selection, the current tool (a state
 * machine of small StateNode files under tools/), the undo stack and the camera. React components
 * only render its state and forward pointer / key events; saving is a separate concern
 * (region-sync-plan.ts diffs the editor's regions against what the server has).
 */
import type { BrushMode, BrushStroke, Point, RegionGeometry } from "~/core/regions/region-geometry";
import { Camera, type Size, type Vec } from "./camera";
import { hitRegion, hitVertex } from "./geometry-ops";
import type { KeyInfo, PointerInfo, StateNode } from "./state-node";
import { BrushTool } from "./tools/brush/BrushTool";
import { PanTool } from "./tools/pan/PanTool";
import { PolygonTool } from "./tools/polygon/PolygonTool";
import { RectangleTool } from "./tools/rectangle/RectangleTool";
import type { SamDraft } from "./tools/sam/sam-draft";
import { SamTool } from "./tools/sam/SamTool";
import { ScaleTool } from "./tools/scale/ScaleTool";
import { SelectTool } from "./tools/select/SelectTool";
import { applyRemotePatch, diffRegions } from "./remote-patch";
import { UndoStack } from "./undo-stack";

/** A region as the editor holds it; `key` is the server id for saved regions, a local id for new ones. */
export type EditorRegion = {
  readonly key: string;
  readonly labelClassId: string | null;
  readonly geometry: RegionGeometry;
};

/** What is being drawn right now (not yet a region). */
export type Draft =
  | { kind: "polygon"; points: Point[]; cursor: Point | null }
  | { kind: "rectangle"; from: Point; to: Point }
  | { kind: "brush"; stroke: BrushStroke; targetKey: string | null }
  | SamDraft
  | null;

export const TOOL_IDS = ["pan", "select", "polygon", "rectangle", "brush", "sam", "scale"] as const;
export type ToolId = (typeof TOOL_IDS)[number];

/** Keyboard shortcuts of the tools, shown in the toolbar. */
export const TOOL_SHORTCUTS: Record<ToolId, string> = {
  pan: "H",
  select: "V",
  polygon: "P",
  rectangle: "R",
  brush: "B",
  sam: "M",
  scale: "S",
};

/** A measuring line of the set-scale tool, in image pixels. */
export type MeasureLine = { from: Point; to: Point };

export type EditorSettings = { labelClassId: string | null; brushSize: number; brushMode: BrushMode };

/** Screen pixels within which a click grabs a vertex or closes a polygon. */
export const HANDLE_TOLERANCE_PX = 8;

let localCounter = 0;
export function newLocalKey(): string {
  localCounter += 1;
  return `local-${Date.now().toString(36)}-${localCounter}`;
}

export class AnnotationEditor {
  readonly camera: Camera;
  regions: readonly EditorRegion[] = [];
  selectedKey: string | null = null;
  draft: Draft = null;
  settings: EditorSettings = { labelClassId: null, brushSize: 24, brushMode: "paint" };
  /** A hint for the user after an action that could not be done ("Select a brush region…"). */
  hint: string | null = null;
  /** Viewers may pan and select, nothing else. Set through setReadOnly from React. */
  readOnly = false;
  /** The set-scale tool's line (kept after the drag, while a form asks for its length). */
  measureLine: MeasureLine | null = null;
  /** Tools the caller may not use (e.g. set scale without the right); set from React. */
  private disabledTools = new Set<ToolId>();
  /** Bumped on every change; React reads it through useSyncExternalStore. */
  revision = 0;

  private readonly history = new UndoStack<readonly EditorRegion[]>();
  private readonly listeners = new Set<() => void>();
  private readonly tools: Record<ToolId, StateNode>;
  private tool: StateNode;

  constructor(options: { imageSize: Size; camera?: Camera }) {
    this.imageSize = options.imageSize;
    this.camera = options.camera ?? new Camera();
    this.tools = {
      pan: new PanTool(this),
      select: new SelectTool(this),
      polygon: new PolygonTool(this),
      rectangle: new RectangleTool(this),
      brush: new BrushTool(this),
      sam: new SamTool(this),
      scale: new ScaleTool(this),
    };
    this.tool = this.tools.pan;
    this.tool.enter();
  }

  readonly imageSize: Size;

  // ---------- subscription ----------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getRevision = (): number => this.revision;

  notify(): void {
    this.revision += 1;
    for (const listener of this.listeners) listener();
  }

  // ---------- tools ----------

  get toolId(): ToolId {
    return this.tool.id as ToolId;
  }

  /** "polygon.drawing" */
  getPath(): string {
    return this.tool.path();
  }

  /** True when no gesture is in progress (saving waits for that). */
  isIdle(): boolean {
    return this.draft === null && /\.idle$/.test(this.getPath());
  }

  setTool(id: ToolId): void {
    if (this.readOnly && id !== "pan" && id !== "select") return;
    if (this.disabledTools.has(id)) return;
    this.tool.exit();
    this.draft = null;
    this.hint = null;
    this.tool = this.tools[id];
    this.tool.enter();
    this.notify();
  }

  setSettings(patch: Partial<EditorSettings>): void {
    this.settings = { ...this.settings, ...patch };
    this.notify();
  }

  setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly;
  }

  /** Tools that setTool (buttons and shortcuts) refuses; leaves a disabled current tool for pan. */
  setDisabledTools(ids: readonly ToolId[]): void {
    this.disabledTools = new Set(ids);
    if (this.disabledTools.has(this.toolId)) this.setTool("pan");
  }

  setMeasureLine(line: MeasureLine | null): void {
    this.measureLine = line;
    this.notify();
  }

  setHint(hint: string | null): void {
    this.hint = hint;
    this.notify();
  }

  // ---------- events (from the viewer) ----------

  pointerDown(info: PointerInfo): void {
    // Middle or right button pans whatever the tool, so drawing never traps the view; except that
    // SAM's right click is a negative point (as in CVAT and SAM's own demo).
    if (info.button === 1 || (info.button === 2 && this.toolId !== "sam")) {
      this.panOverride = { last: info.screen };
      return;
    }
    this.tool.leaf().onPointerDown(info);
  }

  pointerMove(info: PointerInfo): void {
    if (this.panOverride) {
      this.camera.panBy(info.screen.x - this.panOverride.last.x, info.screen.y - this.panOverride.last.y);
      this.panOverride.last = info.screen;
      return;
    }
    this.tool.leaf().onPointerMove(info);
  }

  pointerUp(info: PointerInfo): void {
    if (this.panOverride) {
      this.panOverride = null;
      return;
    }
    this.tool.leaf().onPointerUp(info);
  }

  doubleClick(info: PointerInfo): void {
    this.tool.leaf().onDoubleClick(info);
  }

  /** Returns true when the editor used the key (the caller then prevents the default). */
  keyDown(key: KeyInfo): boolean {
    const mod = key.ctrlKey || key.metaKey;
    const lower = key.key.toLowerCase();
    if (mod && lower === "z") {
      if (key.shiftKey) this.redo();
      else this.undo();
      return true;
    }
    if (mod && lower === "y") {
      this.redo();
      return true;
    }
    if (mod) return false;
    if (key.key === "Escape") {
      this.tool.leaf().onCancel();
      return true;
    }
    if (key.key === "Enter") {
      this.tool.leaf().onComplete();
      return true;
    }
    if (this.tool.leaf().onKeyDown(key)) return true;
    if (key.key === "Delete" || key.key === "Backspace") {
      if (this.selectedKey) {
        this.deleteRegion(this.selectedKey);
        return true;
      }
      return false;
    }
    const tool = (Object.entries(TOOL_SHORTCUTS) as [ToolId, string][]).find(
      ([, letter]) => letter.toLowerCase() === lower,
    );
    if (tool) {
      this.setTool(tool[0]);
      return true;
    }
    if (lower === "e") {
      this.setTool("brush");
      this.setSettings({ brushMode: this.settings.brushMode === "erase" ? "paint" : "erase" });
      return true;
    }
    if (key.key === "[" || key.key === "]") {
      const factor = key.key === "]" ? 1.25 : 0.8;
      this.setSettings({
        brushSize: Math.round(Math.min(400, Math.max(2, this.settings.brushSize * factor))),
      });
      return true;
    }
    return false;
  }

  private panOverride: { last: Vec } | null = null;

  // ---------- document ----------

  /** Replaces the document (e.g. after loading from the server); forgets the undo history. */
  load(regions: readonly EditorRegion[]): void {
    this.regions = regions;
    this.history.clear();
    if (this.selectedKey && !regions.some((r) => r.key === this.selectedKey)) this.selectedKey = null;
    this.notify();
  }

  region(key: string | null): EditorRegion | undefined {
    return key === null ? undefined : this.regions.find((r) => r.key === key);
  }

  /** Records the current document as an undo step; call before a change. */
  mark(): void {
    this.history.push(this.regions);
  }

  /** Changes the document without an undo step (drags call mark() once, then this per move). */
  replaceRegions(regions: readonly EditorRegion[]): void {
    this.regions = regions;
    this.notify();
  }

  /**
   * Other people's saved changes (`regions` is the merged document). They are carried into every
   * undo and redo state too, so undo reverts only this user's edits and never someone else's work.
   */
  applyRemote(regions: readonly EditorRegion[]): void {
    const patch = diffRegions(this.regions, regions);
    this.history.rebase((snapshot) => applyRemotePatch(snapshot, patch));
    this.restore(regions);
  }

  addRegion(region: Omit<EditorRegion, "key"> & { key?: string }, options: { select?: boolean } = {}): EditorRegion {
    const created: EditorRegion = {
      key: region.key ?? newLocalKey(),
      labelClassId: region.labelClassId,
      geometry: region.geometry,
    };
    this.mark();
    this.regions = [...this.regions, created];
    if (options.select ?? true) this.selectedKey = created.key;
    this.notify();
    return created;
  }

  updateRegion(key: string, patch: Partial<Omit<EditorRegion, "key">>, options: { undoable?: boolean } = {}): void {
    if (!this.region(key)) return;
    if (options.undoable ?? true) this.mark();
    this.regions = this.regions.map((r) => (r.key === key ? { ...r, ...patch } : r));
    this.notify();
  }

  deleteRegion(key: string): void {
    if (!this.region(key)) return;
    this.mark();
    this.regions = this.regions.filter((r) => r.key !== key);
    if (this.selectedKey === key) this.selectedKey = null;
    this.notify();
  }

  /** Gives a region a new key (a conflicted edit kept as a new region); no undo step. */
  rekey(key: string, newKey: string): void {
    this.regions = this.regions.map((r) => (r.key === key ? { ...r, key: newKey } : r));
    if (this.selectedKey === key) this.selectedKey = newKey;
    this.notify();
  }

  select(key: string | null): void {
    this.selectedKey = key;
    this.notify();
  }

  undo(): void {
    if (this.draft) {
      this.tool.leaf().onCancel();
      return;
    }
    const previous = this.history.undo(this.regions);
    if (previous) this.restore(previous);
  }

  redo(): void {
    const next = this.history.redo(this.regions);
    if (next) this.restore(next);
  }

  get canUndo(): boolean {
    return this.history.canUndo || this.draft !== null;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  private restore(regions: readonly EditorRegion[]): void {
    this.regions = regions;
    if (this.selectedKey && !regions.some((r) => r.key === this.selectedKey)) this.selectedKey = null;
    this.notify();
  }

  // ---------- queries for tools ----------

  /** Image pixels that correspond to `px` screen pixels at the current zoom. */
  screenToImageDistance(px: number): number {
    return px / this.camera.get().scale;
  }

  /** The topmost region under an image point. */
  regionAt(point: Vec): EditorRegion | undefined {
    const tolerance = this.screenToImageDistance(3);
    // The selected region stays grabbable where others overlap it (e.g. a cluster mask).
    const selected = this.region(this.selectedKey);
    if (selected && hitRegion(selected.geometry, point, this.imageSize, tolerance)) return selected;
    for (let i = this.regions.length - 1; i >= 0; i--) {
      const region = this.regions[i]!;
      if (hitRegion(region.geometry, point, this.imageSize, tolerance)) return region;
    }
    return undefined;
  }

  /** The selected region's vertex under an image point, or -1. */
  selectedVertexAt(point: Vec): number {
    const region = this.region(this.selectedKey);
    if (!region) return -1;
    return hitVertex(region.geometry, point, this.screenToImageDistance(HANDLE_TOLERANCE_PX));
  }
}
