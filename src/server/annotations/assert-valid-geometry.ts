import { AppError } from "~/server/errors";
import { parseRegionGeometry, RegionGeometryError, type RegionGeometry } from "~/core/regions/region-geometry";

/** The geometry through the one schema, or AppError BAD_INPUT with the schema's message. */
export function assertValidGeometry(value: unknown): RegionGeometry {
  try {
    return parseRegionGeometry(value);
  } catch (error) {
    if (error instanceof RegionGeometryError) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
}
