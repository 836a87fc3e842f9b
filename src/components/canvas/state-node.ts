import type { AnnotationEditor } from "./AnnotationEditor";
import type { Vec } from "./camera";

/** A pointer event in both coordinate systems; the viewer builds it from the Konva event. */
export type PointerInfo = {
  /** Stage (screen) pixels. */
  screen: Vec;
  /** Original image pixels. */
  image: Vec;
  /** 0 primary, 1 middle, 2 secondary. */
  button: number;
  shiftKey: boolean;
};

export type KeyInfo = { key: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean };

/**
 * A state of a tool (tldraw's StateNode): a few small handlers that change the editor or move to
 * a sibling state. A tool is a StateNode whose children are its states; the editor forwards
 * events to the deepest active state.
 */
export abstract class StateNode {
  abstract readonly id: string;
  readonly children: Record<string, StateNode> = {};
  readonly initial: string | null = null;
  current: StateNode | null = null;
  parent: StateNode | null = null;

  constructor(protected readonly editor: AnnotationEditor) {}

  /** Registers children and enters the initial one. */
  protected addChildren(...children: StateNode[]): void {
    for (const child of children) {
      child.parent = this;
      this.children[child.id] = child;
    }
  }

  /** Moves this node to its child `id` (exiting the current one). */
  transition(id: string, info?: PointerInfo): void {
    const next = this.children[id];
    if (!next) throw new Error(`${this.id} has no state "${id}"`);
    this.current?.exit();
    this.current = next;
    next.enter(info);
    this.editor.notify();
  }

  enter(info?: PointerInfo): void {
    if (this.initial) {
      this.current = this.children[this.initial] ?? null;
      this.current?.enter(info);
    }
    this.onEnter(info);
  }

  exit(): void {
    this.current?.exit();
    this.onExit();
  }

  /** "polygon.drawing": this node and its active descendants. */
  path(): string {
    return this.current ? `${this.id}.${this.current.path()}` : this.id;
  }

  /** The deepest active state, which receives events. */
  leaf(): StateNode {
    return this.current ? this.current.leaf() : this;
  }

  onEnter(_info?: PointerInfo): void {}
  onExit(): void {}
  onPointerDown(_info: PointerInfo): void {}
  onPointerMove(_info: PointerInfo): void {}
  onPointerUp(_info: PointerInfo): void {}
  onDoubleClick(_info: PointerInfo): void {}
  /** Return true when the key was used. */
  onKeyDown(_key: KeyInfo): boolean {
    return false;
  }
  /** Escape. */
  onCancel(): void {}
  /** Enter. */
  onComplete(): void {}
}

export type StateClass = new (editor: AnnotationEditor) => StateNode;

/** A tool: a StateNode made of its state classes, starting in its "idle" state. */
export abstract class ToolNode extends StateNode {
  override readonly initial = "idle";
  constructor(editor: AnnotationEditor, states: readonly StateClass[]) {
    super(editor);
    this.addChildren(...states.map((State) => new State(editor)));
  }
}
