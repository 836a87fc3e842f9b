/** A confusion matrix: rows = true class, columns = predicted class; the diagonal is correct. */
export function ConfusionMatrix({ classes, matrix }: { classes: string[]; matrix: number[][] }) {
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  return (
    <table data-testid="confusion-matrix" style={{ width: "auto", fontSize: "0.85rem" }}>
      <caption className="muted" style={{ textAlign: "left", captionSide: "top", paddingBottom: 4 }}>
        Confusion matrix ({total} images): rows = true class, columns = predicted
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
        {classes.map((name, row) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            {classes.map((other, column) => {
              const count = matrix[row]?.[column] ?? 0;
              return (
                <td
                  key={other}
                  style={{ textAlign: "center", fontWeight: row === column ? 600 : undefined, background: row === column ? "#eef7f1" : count > 0 ? "#fdf0ef" : undefined }}
                >
                  {count}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
