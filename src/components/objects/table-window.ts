/**
 * The objects table draws only the rows in view (a set may hold 100 000 objects): fixed-height
 * rows, a window of them from the scroll position, and keyboard moves of the selection.
 */

/** Height of one table row, px (every row is one line). */
export const ROW_HEIGHT = 22;
/** Rows drawn above and below the view. */
export const OVERSCAN = 8;

/** The rows [start, end) to draw for a view `viewHeight` px high scrolled to `scrollTop` over the rows. */
export function rowWindow(
  rowCount: number,
  scrollTop: number,
  viewHeight: number,
  rowHeight = ROW_HEIGHT,
  overscan = OVERSCAN,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(rowCount, first - overscan));
  const end = Math.max(start, Math.min(rowCount, first + visible + overscan));
  return { start, end };
}

/**
 * The scroll position that brings row `index` fully into a view `viewHeight` px high (below a
 * sticky header `headerHeight` px high), or `scrollTop` when it is already in view.
 */
export function scrollToRow(
  index: number,
  scrollTop: number,
  viewHeight: number,
  headerHeight: number,
  rowHeight = ROW_HEIGHT,
): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewHeight - headerHeight) return bottom - (viewHeight - headerHeight);
  return scrollTop;
}

/** Keys that move the selection, and where to: the row index to select, or null for another key. */
export function rowAfterKey(key: string, current: number, rowCount: number, pageRows: number): number | null {
  if (rowCount === 0) return null;
  const at = (i: number) => Math.max(0, Math.min(rowCount - 1, i));
  switch (key) {
    case "ArrowDown":
      return current < 0 ? 0 : at(current + 1);
    case "ArrowUp":
      return current < 0 ? 0 : at(current - 1);
    case "PageDown":
      return at(Math.max(0, current) + pageRows);
    case "PageUp":
      return at(Math.max(0, current) - pageRows);
    case "Home":
      return 0;
    case "End":
      return rowCount - 1;
    default:
      return null;
  }
}
