import type { PixelValues } from "./PixelReadout";

/** The pointer readout lives outside React state, so pointer moves re-render only the readout. */
export class HoverStore<T = PixelValues> {
  private value: T | null = null;
  private readonly listeners = new Set<() => void>();
  get = (): T | null => this.value;
  set(value: T | null): void {
    this.value = value;
    for (const listener of this.listeners) listener();
  }
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
