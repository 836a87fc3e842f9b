"use client";

/**
 * Before a folder is uploaded: the condition tags the pattern reads from each file's path, in a
 * table, with the suggested pattern editable. Nothing is uploaded until the person confirms
 * (with the pattern, or without conditions) or cancels.
 */
import { useId, useMemo } from "react";
import { applyPattern, compilePattern, PatternError, type PathTagsResult } from "~/core/conditions/path-pattern";
import { formatTagValue } from "~/core/conditions/tags";

/** Rows shown in the table; the counts cover every file. */
const PREVIEW_ROWS = 50;

export function ConditionPreview(props: {
  paths: readonly string[];
  pattern: string;
  onPattern: (pattern: string) => void;
  onConfirm: (pattern: string | null) => void;
  onCancel: () => void;
}) {
  const helpId = useId();
  const { compiled, patternError } = useMemo(() => {
    if (props.pattern.trim() === "") return { compiled: null, patternError: null };
    try {
      return { compiled: compilePattern(props.pattern), patternError: null };
    } catch (error) {
      if (error instanceof PatternError) return { compiled: null, patternError: error.message };
      throw error;
    }
  }, [props.pattern]);
  const results = useMemo(
    (): (PathTagsResult | null)[] => props.paths.map((path) => (compiled ? applyPattern(compiled, path) : null)),
    [compiled, props.paths],
  );
  const matching = results.filter((result) => result?.ok).length;
  const count = props.paths.length;

  return (
    <section data-testid="condition-preview" aria-label="Conditions from folder and file names" className="panel">
      <h3 style={{ marginTop: 0 }}>Conditions from folder and file names</h3>
      <label className="row" style={{ gap: 6 }}>
        Pattern
        <input
          data-testid="condition-pattern"
          aria-describedby={helpId}
          value={props.pattern}
          placeholder="{capacity}/{cycles} cycle*/*"
          onChange={(event) => props.onPattern(event.target.value)}
          style={{ flex: 1, minWidth: 240, fontFamily: "monospace" }}
        />
      </label>
      <p id={helpId} className="muted" style={{ fontSize: "0.8rem" }}>
        The last levels of each path, separated by /: {"{name}"} takes a value (8mAh becomes 8 mAh), * any text, other
        text must be there. Folders above the pattern are ignored. Empty: no conditions.
      </p>
      {patternError && (
        <p className="error" role="alert" data-testid="condition-pattern-error">
          {patternError}
        </p>
      )}
      {compiled && (
        <p className="muted" data-testid="condition-match-count">
          {matching} of {count} file{count === 1 ? "" : "s"} match
          {matching < count ? "; the others are uploaded without path conditions" : ""}.
        </p>
      )}
      <div style={{ maxHeight: 260, overflow: "auto" }}>
        <table data-testid="condition-preview-table" style={{ width: "100%", fontSize: "0.85rem" }}>
          <thead>
            <tr>
              <th scope="col" style={{ textAlign: "left" }}>
                File
              </th>
              <th scope="col" style={{ textAlign: "left" }}>
                Conditions
              </th>
            </tr>
          </thead>
          <tbody>
            {props.paths.slice(0, PREVIEW_ROWS).map((path, index) => {
              const result = results[index];
              return (
                <tr key={`${path}-${index}`} data-testid="condition-preview-row">
                  <td style={{ wordBreak: "break-all" }}>{path}</td>
                  <td>
                    {!result ? (
                      <span className="muted">—</span>
                    ) : result.ok ? (
                      result.tags.map((tag) => `${tag.key} ${formatTagValue(tag)}`).join(" · ")
                    ) : (
                      <span className="error">{result.error}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {count > PREVIEW_ROWS && <p className="muted">…and {count - PREVIEW_ROWS} more files.</p>}
      </div>
      <div className="row" style={{ marginTop: 8 }}>
        <button
          type="button"
          className="primary"
          data-testid="condition-confirm"
          disabled={compiled === null}
          onClick={() => props.onConfirm(compiled?.source ?? null)}
        >
          Upload {count} file{count === 1 ? "" : "s"} with these conditions
        </button>
        <button type="button" data-testid="condition-skip" onClick={() => props.onConfirm(null)}>
          Upload without conditions
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
