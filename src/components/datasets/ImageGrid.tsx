"use client";

import { useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { formatTagValue } from "~/core/conditions/tags";
import { moveFocus, type GridItem } from "./grid-filters";

export type GridCard = GridItem & { describe: string; labelColor: string | null; disagrees: boolean };

/**
 * Thumbnails with prediction, probability and label. Keyboard: arrows move, Enter opens, Space
 * toggles selection (Shift extends it), Ctrl+A selects all shown, Escape clears.
 * Mouse: click opens; the checkbox (or Ctrl/Shift-click) selects.
 */
export function ImageGrid(props: {
  cards: GridCard[];
  selected: ReadonlySet<string>;
  onSelect: (selected: Set<string>) => void;
  onOpen: (imageId: string) => void;
}) {
  const { cards, selected } = props;
  const gridRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocus] = useState(0);
  // Filtering may shrink the list under the focus: keep it on the last card then.
  const focus = Math.min(focusIndex, Math.max(0, cards.length - 1));
  const anchor = useRef<number | null>(null);

  const columns = () => {
    const grid = gridRef.current;
    if (!grid) return 1;
    return Math.max(1, getComputedStyle(grid).gridTemplateColumns.split(" ").length);
  };
  const focusCard = (index: number) => {
    setFocus(index);
    gridRef.current?.querySelectorAll<HTMLElement>("[data-testid=image-thumb]")[index]?.focus();
  };
  const toggle = (index: number, extend: boolean) => {
    const next = new Set(selected);
    if (extend && anchor.current !== null) {
      const [from, to] = [Math.min(anchor.current, index), Math.max(anchor.current, index)];
      for (let i = from; i <= to; i++) next.add(cards[i]!.id);
    } else {
      const id = cards[index]!.id;
      if (next.has(id)) next.delete(id);
      else next.add(id);
      anchor.current = index;
    }
    props.onSelect(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (cards.length === 0) return;
    if (["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) {
      event.preventDefault();
      const next = moveFocus(focus, event.key, columns(), cards.length);
      focusCard(next);
      if (event.shiftKey) toggle(next, true);
    } else if (event.key === "Enter") {
      event.preventDefault();
      props.onOpen(cards[focus]!.id);
    } else if (event.key === " ") {
      event.preventDefault();
      toggle(focus, event.shiftKey);
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "a") {
      event.preventDefault();
      props.onSelect(new Set(cards.map((card) => card.id)));
    } else if (event.key === "Escape") {
      props.onSelect(new Set());
    }
  };

  const onCardClick = (event: MouseEvent, index: number) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey) {
      event.preventDefault();
      toggle(index, event.shiftKey);
      return;
    }
    props.onOpen(cards[index]!.id);
  };

  return (
    <div
      className="thumbs"
      data-testid="image-grid"
      ref={gridRef}
      role="grid"
      aria-label="Images"
      aria-multiselectable
      onKeyDown={onKeyDown}
    >
      {cards.map((card, index) => {
        const isSelected = selected.has(card.id);
        return (
          <figure
            key={card.id}
            className="thumb"
            data-testid="image-thumb"
            data-image-id={card.id}
            role="gridcell"
            aria-selected={isSelected}
            tabIndex={index === focus ? 0 : -1}
            onFocus={() => setFocus(index)}
            onClick={(event) => onCardClick(event, index)}
            style={{
              margin: 0,
              cursor: "pointer",
              position: "relative",
              outline: isSelected ? "3px solid var(--accent)" : undefined,
              outlineOffset: -3,
            }}
          >
            <input
              type="checkbox"
              aria-label={`Select ${card.fileName}`}
              data-testid="thumb-select"
              checked={isSelected}
              onClick={(event) => event.stopPropagation()}
              onChange={() => toggle(index, false)}
              style={{ position: "absolute", top: 6, left: 6, width: 18, height: 18 }}
              tabIndex={-1}
            />
            {/* Thumbnails come from an authenticated route with ETags; next/image would re-encode them. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={`/api/images/${card.id}/thumbnail`} alt={card.fileName} loading="lazy" />
            <figcaption className="caption">
              <div className="name" title={card.fileName}>
                {card.fileName}
              </div>
              <div className="muted">{card.describe}</div>
              <div className="row" style={{ gap: 4, marginTop: 4 }}>
                <span
                  className="badge"
                  data-testid="thumb-prediction"
                  title={
                    card.prediction
                      ? "Predicted class and its probability"
                      : "No analysis with a classifier yet: open the image to analyse it"
                  }
                >
                  {card.prediction
                    ? `${card.prediction} ${card.confidence === null ? "" : `${(card.confidence * 100).toFixed(0)} %`}`
                    : "no prediction"}
                </span>
                {card.uncertainReason && (
                  <span
                    className="badge"
                    data-testid="thumb-uncertain"
                    title={`Uncertain: ${card.uncertainReason}`}
                    style={{ background: "#f0a02033", color: "var(--ink)" }}
                  >
                    uncertain
                  </span>
                )}
                {card.labelName && (
                  <span
                    className="badge"
                    data-testid="thumb-label"
                    title={card.disagrees ? "The label differs from the prediction" : "Label"}
                    style={{
                      background: `${card.labelColor ?? "#888888"}33`,
                      color: "var(--ink)",
                      border: card.disagrees ? "1px solid var(--danger)" : undefined,
                    }}
                  >
                    {card.disagrees ? "≠ " : "✓ "}
                    {card.labelName}
                  </span>
                )}
              </div>
              {card.tags && card.tags.length > 0 && (
                <div
                  className="row muted"
                  data-testid="thumb-tags"
                  style={{ gap: 4, marginTop: 4, fontSize: "0.75rem" }}
                >
                  {card.tags.map((tag) => (
                    <span key={tag.key} className="badge" data-testid="thumb-tag" data-tag-key={tag.key}>
                      {tag.key} {formatTagValue(tag)}
                    </span>
                  ))}
                </div>
              )}
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}
