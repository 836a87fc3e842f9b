import { parseRegionGeometry, type RegionGeometry } from "~/core/regions/region-geometry";

/** What the API returns for a region: geometry already parsed (and upgraded) by the one schema. */
export type RegionDto = {
  id: string;
  imageId: string;
  labelClassId: string | null;
  geometry: RegionGeometry;
  version: number;
  authorId: string | null;
  updatedAt: Date;
};

export const REGION_SELECT = {
  id: true,
  imageId: true,
  labelClassId: true,
  geometry: true,
  version: true,
  authorId: true,
  updatedAt: true,
} as const;

export function toRegionDto(row: {
  id: string;
  imageId: string;
  labelClassId: string | null;
  geometry: unknown;
  version: number;
  authorId: string | null;
  updatedAt: Date;
}): RegionDto {
  return { ...row, geometry: parseRegionGeometry(row.geometry) };
}
