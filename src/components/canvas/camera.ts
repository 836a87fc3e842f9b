/**
 * The view transform shared by every pane of the viewer: screen = image * scale + (x, y).
 * Compare mode gives all panes the same Camera, so zooming or panning one moves them all.
 * Plain TypeScript with a subscribe API: panes apply changes to their Konva stages directly,
 * without a React render per frame.
 */
export type CameraState = { x: number; y: number; scale: number };
export type Size = { width: number; height: number };
export type Vec = { x: number; y: number };

export const MIN_SCALE = 1 / 64;
export const MAX_SCALE = 64;
/** One wheel notch (deltaY 100) zooms by this factor. */
export const WHEEL_ZOOM_STEP = 1.2;

type Listener = (state: CameraState) => void;

export class Camera {
  private state: CameraState = { x: 0, y: 0, scale: 1 };
  private readonly listeners = new Set<Listener>();

  get(): CameraState {
    return this.state;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(next: CameraState): void {
    const scale = clamp(next.scale, MIN_SCALE, MAX_SCALE);
    if (next.x === this.state.x && next.y === this.state.y && scale === this.state.scale) return;
    this.state = { x: next.x, y: next.y, scale };
    for (const listener of this.listeners) listener(this.state);
  }

  panBy(dx: number, dy: number): void {
    this.set({ ...this.state, x: this.state.x + dx, y: this.state.y + dy });
  }

  /** Zooms by `factor`, keeping the image point under `screen` where it is. */
  zoomAt(factor: number, screen: Vec): void {
    const { x, y, scale } = this.state;
    const next = clamp(scale * factor, MIN_SCALE, MAX_SCALE);
    const image = { x: (screen.x - x) / scale, y: (screen.y - y) / scale };
    this.set({ x: screen.x - image.x * next, y: screen.y - image.y * next, scale: next });
  }

  /** Whole image visible and centred, with a small margin. */
  fit(image: Size, viewport: Size, margin = 16): void {
    const scale = Math.min((viewport.width - 2 * margin) / image.width, (viewport.height - 2 * margin) / image.height);
    const safe = Number.isFinite(scale) && scale > 0 ? scale : 1;
    this.set({
      x: (viewport.width - image.width * safe) / 2,
      y: (viewport.height - image.height * safe) / 2,
      scale: safe,
    });
  }

  toImage(screen: Vec): Vec {
    const { x, y, scale } = this.state;
    return { x: (screen.x - x) / scale, y: (screen.y - y) / scale };
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
