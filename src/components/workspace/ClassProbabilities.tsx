/** Every class's probability, highest first, as bars (not only the predicted class). */
export function ClassProbabilities(props: { probabilities: { className: string; probability: number }[] }) {
  const sorted = [...props.probabilities].sort((a, b) => b.probability - a.probability);
  if (sorted.length === 0) return null;
  return (
    <ul
      data-testid="class-probabilities"
      style={{ listStyle: "none", margin: "0 0 10px", padding: 0, display: "grid", gap: 3 }}
    >
      {sorted.map((entry) => (
        <li
          key={entry.className}
          data-testid="class-probability"
          data-class={entry.className}
          style={{
            display: "grid",
            gridTemplateColumns: "minmax(0, 1fr) 90px 48px",
            gap: 6,
            alignItems: "center",
            fontSize: "0.8rem",
          }}
        >
          <span style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{entry.className}</span>
          <span style={{ height: 8, background: "#e9ecef", borderRadius: 2 }}>
            <span
              style={{
                display: "block",
                height: "100%",
                width: `${Math.max(0, Math.min(1, entry.probability)) * 100}%`,
                background: "var(--accent, #4c6ef5)",
                borderRadius: 2,
              }}
            />
          </span>
          <span className="muted" style={{ textAlign: "right" }}>
            {(entry.probability * 100).toFixed(1)} %
          </span>
        </li>
      ))}
    </ul>
  );
}
