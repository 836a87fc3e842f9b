export type ConfusionCell = { actualClass: string; predictedClass: string };

/**
 * A confusion matrix: rows = true class, columns = predicted class; the diagonal is correct.
 * With `onCellClick`, each non-empty cell is a button that asks for the images it counts.
 */
export function ConfusionMatrix(props: {
  classes: string[];
  matrix: number[][];
  onCellClick?: (cell: ConfusionCell) => void;
  selected?: ConfusionCell | null;
}) {
  const { classes, matrix, onCellClick, selected } = props;
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  return (
    <table data-testid="confusion-matrix" style={{ width: "auto", fontSize: "0.85rem" }}>
      <caption className="muted" style={{ textAlign: "left", captionSide: "top", paddingBottom: 4 }}>
        Confusion matrix ({total} images): rows = true class, columns = predicted
        {onCellClick ? "; pick a cell to see its images" : ""}
      </caption>
      <thead>
        <tr>
          <th scope="col">true \ predicted</th>
          {classes.map((name) => (
            <th key={name} scope="col" style={{ textAlign: "center" }}>
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {classes.map((actualClass, row) => (
          <tr key={actualClass}>
            <th scope="row">{actualClass}</th>
            {classes.map((predictedClass, column) => {
              const count = matrix[row]?.[column] ?? 0;
              const isSelected = selected?.actualClass === actualClass && selected.predictedClass === predictedClass;
              return (
                <td
                  key={predictedClass}
                  data-testid="confusion-cell"
                  style={{
                    textAlign: "center",
                    fontWeight: row === column ? 600 : undefined,
                    background: row === column ? "#eef7f1" : count > 0 ? "#fdf0ef" : undefined,
                    outline: isSelected ? "2px solid var(--accent)" : undefined,
                  }}
                >
                  {onCellClick && count > 0 ? (
                    <button
                      type="button"
                      aria-pressed={isSelected}
                      aria-label={`${count} images labelled ${actualClass}, predicted ${predictedClass}`}
                      onClick={() => onCellClick({ actualClass, predictedClass })}
                      style={{
                        border: "none",
                        background: "none",
                        padding: "0 6px",
                        color: "var(--accent)",
                        fontWeight: "inherit",
                      }}
                    >
                      {count}
                    </button>
                  ) : (
                    count
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
