/**
 * Undo / redo over immutable document snapshots. A snapshot is an array of immutable regions, so
 * keeping one per step costs a pointer per region, and undo can never leave a half-applied edit.
 */
export class UndoStack<T> {
  private readonly undoStack: T[] = [];
  private readonly redoStack: T[] = [];

  constructor(private readonly limit = 200) {}

  /** Remembers `before` as the state to return to; a new edit forgets the redo branch. */
  push(before: T): void {
    this.undoStack.push(before);
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack.length = 0;
  }

  /** The state to restore, given the current one; null when there is nothing to undo. */
  undo(current: T): T | null {
    const previous = this.undoStack.pop();
    if (previous === undefined) return null;
    this.redoStack.push(current);
    return previous;
  }

  redo(current: T): T | null {
    const next = this.redoStack.pop();
    if (next === undefined) return null;
    this.undoStack.push(current);
    return next;
  }

  /** Rewrites every remembered state (e.g. to carry someone else's change into the history). */
  rebase(transform: (state: T) => T): void {
    this.undoStack.forEach((state, index) => (this.undoStack[index] = transform(state)));
    this.redoStack.forEach((state, index) => (this.redoStack[index] = transform(state)));
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  clear(): void {
    this.undoStack.length = 0;
    this.redoStack.length = 0;
  }
}
