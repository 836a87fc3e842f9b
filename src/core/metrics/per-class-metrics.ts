/**
 * Per-class precision and recall read off a confusion matrix (rows = true class, columns =
 * predicted class, in the order of `classes`). A ratio whose denominator is zero is undefined,
 * and reported as null rather than 0 or NaN: precision of a class the model never predicted,
 * recall of a class no image truly belongs to.
 */

export type PerClassMetric = {
  className: string;
  /** Images truly of this class (its row sum). */
  support: number;
  /** Images predicted as this class (its column sum). */
  predicted: number;
  /** Images of this class predicted as it (the diagonal cell). */
  truePositives: number;
  /** truePositives / predicted; null when the class was never predicted. */
  precision: number | null;
  /** truePositives / support; null when no image is of this class. */
  recall: number | null;
};

/** Throws RangeError unless `matrix` is square with one row and column per class. */
export function perClassMetrics(classes: readonly string[], matrix: readonly (readonly number[])[]): PerClassMetric[] {
  if (matrix.length !== classes.length || matrix.some((row) => row.length !== classes.length)) {
    throw new RangeError(
      `confusion matrix must be ${classes.length} x ${classes.length} (one row and column per class), got ${matrix.length} rows of ${matrix.map((row) => row.length).join(", ") || "nothing"}`,
    );
  }
  return classes.map((className, c) => {
    const row = matrix[c]!;
    const support = row.reduce((sum, count) => sum + count, 0);
    const predicted = matrix.reduce((sum, other) => sum + other[c]!, 0);
    const truePositives = row[c]!;
    return {
      className,
      support,
      predicted,
      truePositives,
      precision: predicted > 0 ? truePositives / predicted : null,
      recall: support > 0 ? truePositives / support : null,
    };
  });
}
