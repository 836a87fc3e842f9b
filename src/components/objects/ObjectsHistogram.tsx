"use client";

import { formatNumber } from "~/components/canvas/scale-bar";
import { ChoiceSelect } from "~/components/choice-select";
import {
  DESCRIPTOR_IDS,
  DESCRIPTORS,
  descriptorHeader,
  descriptorUnit,
  descriptorValue,
  histogram,
  type DescriptorId,
  type ObjectRecord,
  type ObjectUnits,
} from "./object-set";

const WIDTH = 290;
const HEIGHT = 130;
const PAD = { left: 30, right: 6, top: 6, bottom: 30 };

/** A histogram of one descriptor over the objects (20 equal bins), as plain SVG. */
export function ObjectsHistogram(props: {
  objects: readonly ObjectRecord[];
  units: ObjectUnits;
  descriptor: DescriptorId;
  onDescriptor: (id: DescriptorId) => void;
}) {
  const { units, descriptor } = props;
  const values = props.objects.map((o) => descriptorValue(o, descriptor, units)).filter((v) => v !== null);
  const h = histogram(values, 20);
  const unit = descriptorUnit(descriptor, units);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const top = h ? Math.max(...h.counts) : 0;
  return (
    <div>
      <label className="row muted" style={{ gap: 6 }}>
        Histogram of
        <ChoiceSelect
          label="Histogram descriptor"
          value={descriptor}
          options={DESCRIPTOR_IDS}
          text={(id) => DESCRIPTORS[id].name}
          onChange={props.onDescriptor}
          testId="objects-histogram-descriptor"
        />
      </label>
      {h ? (
        <svg
          data-testid="objects-histogram"
          role="img"
          aria-label={`Histogram of ${descriptorHeader(descriptor, units)}: ${values.length} objects`}
          width={WIDTH}
          height={HEIGHT}
          style={{ display: "block", marginTop: 4 }}
        >
          {h.counts.map((count, i) => {
            const barH = top > 0 ? (count / top) * plotH : 0;
            return (
              <rect
                key={i}
                x={PAD.left + (i / h.counts.length) * plotW + 0.5}
                y={PAD.top + plotH - barH}
                width={plotW / h.counts.length - 1}
                height={barH}
                fill="#3b7dd8"
              >
                <title>
                  {formatNumber(h.edges[i]!)}–{formatNumber(h.edges[i + 1]!)} {unit}: {count}
                </title>
              </rect>
            );
          })}
          <line x1={PAD.left} x2={PAD.left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="currentColor" />
          <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} stroke="currentColor" />
          <text x={PAD.left - 4} y={PAD.top + 8} fontSize={10} textAnchor="end" fill="currentColor">
            {top}
          </text>
          <text x={PAD.left - 4} y={PAD.top + plotH} fontSize={10} textAnchor="end" fill="currentColor">
            0
          </text>
          <text x={PAD.left} y={HEIGHT - 16} fontSize={10} fill="currentColor">
            {formatNumber(h.edges[0]!, 3)}
          </text>
          <text x={PAD.left + plotW} y={HEIGHT - 16} fontSize={10} textAnchor="end" fill="currentColor">
            {formatNumber(h.edges[h.edges.length - 1]!, 3)}
          </text>
          <text
            data-testid="objects-histogram-axis"
            x={PAD.left + plotW / 2}
            y={HEIGHT - 3}
            fontSize={10}
            textAnchor="middle"
            fill="currentColor"
          >
            {descriptorHeader(descriptor, units)}
          </text>
        </svg>
      ) : (
        <p className="muted">No values to plot.</p>
      )}
    </div>
  );
}
