/** Drives an AnnotationEditor like a user (tldraw's TestEditor): pointer events in image pixels. */
import { expect } from "vitest";
import { AnnotationEditor } from "../AnnotationEditor";

export class TestEditor extends AnnotationEditor {
  constructor() {
    super({ imageSize: { width: 1000, height: 800 } });
    // Scale 1 and no offset: screen pixels are image pixels.
    this.camera.set({ x: 0, y: 0, scale: 1 });
  }

  private info(x: number, y: number, button = 0) {
    return { screen: { x, y }, image: { x, y }, button, shiftKey: false };
  }

  down(x: number, y: number, button = 0): this {
    this.pointerDown(this.info(x, y, button));
    return this;
  }
  move(x: number, y: number): this {
    this.pointerMove(this.info(x, y));
    return this;
  }
  up(x: number, y: number): this {
    this.pointerUp(this.info(x, y));
    return this;
  }
  click(x: number, y: number): this {
    return this.down(x, y).up(x, y);
  }
  dblclick(x: number, y: number): this {
    this.doubleClick(this.info(x, y));
    return this;
  }
  key(key: string, modifiers: { ctrl?: boolean; shift?: boolean } = {}): this {
    this.keyDown({
      key,
      ctrlKey: modifiers.ctrl ?? false,
      shiftKey: modifiers.shift ?? false,
      metaKey: false,
    });
    return this;
  }
  expectToBeIn(path: string): this {
    expect(this.getPath()).toBe(path);
    return this;
  }
}
