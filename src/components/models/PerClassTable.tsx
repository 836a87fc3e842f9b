import type { PerClassMetric } from "~/core/metrics/per-class-metrics";

/** A ratio as a percentage; "–" when it is undefined (a class never predicted, or never present). */
const ratio = (value: number | null) => (value === null ? "–" : `${(value * 100).toFixed(1)} %`);

/** Per-class precision and recall with the counts they come from. */
export function PerClassTable({ perClass }: { perClass: PerClassMetric[] }) {
  return (
    <table data-testid="per-class-metrics" style={{ width: "auto", fontSize: "0.85rem" }}>
      <caption className="muted" style={{ textAlign: "left", captionSide: "top", paddingBottom: 4 }}>
        Per class: precision = correct / predicted as the class, recall = correct / truly of the class
      </caption>
      <thead>
        <tr>
          <th scope="col" style={{ textAlign: "left" }}>
            Class
          </th>
          <th scope="col">Images</th>
          <th scope="col">Predicted</th>
          <th scope="col">Correct</th>
          <th scope="col">Precision</th>
          <th scope="col">Recall</th>
        </tr>
      </thead>
      <tbody>
        {perClass.map((metric) => (
          <tr key={metric.className}>
            <th scope="row" style={{ textAlign: "left" }}>
              {metric.className}
            </th>
            <td style={{ textAlign: "center" }}>{metric.support}</td>
            <td style={{ textAlign: "center" }}>{metric.predicted}</td>
            <td style={{ textAlign: "center" }}>{metric.truePositives}</td>
            <td
              style={{ textAlign: "center" }}
              title={metric.precision === null ? "Never predicted: precision is undefined" : undefined}
            >
              {ratio(metric.precision)}
            </td>
            <td
              style={{ textAlign: "center" }}
              title={metric.recall === null ? "No image of this class: recall is undefined" : undefined}
            >
              {ratio(metric.recall)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
