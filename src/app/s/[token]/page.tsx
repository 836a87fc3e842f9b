/**
 * /s/:token: a read-only share link, without an account. Everything here is read through the
 * token (src/server/sharing/): a dataset link lists its images, an image link shows that image's
 * results. Unknown, expired and revoked links are a 404.
 */
import Link from "next/link";
import { db } from "~/server/db";
import { describeShareLink } from "~/server/sharing/describe-share-link";
import { getSharedImage } from "~/server/sharing/get-shared-image";
import { listSharedDataset } from "~/server/sharing/list-shared-dataset";
import { loadShared } from "./load-shared";
import { sharedPageMetadata } from "./shared-metadata";
import { SharedImagePage } from "./SharedImagePage";

export const dynamic = "force-dynamic";
export const metadata = sharedPageMetadata;

export default async function SharedLinkPage(props: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ after?: string | string[] }>;
}) {
  const { token } = await props.params;
  const link = await loadShared(() => describeShareLink({ db, token }));
  if (link.kind === "image") {
    const view = await loadShared(() => getSharedImage({ db, token, imageId: link.imageId }));
    return <SharedImagePage token={token} view={view} />;
  }
  const after = (await props.searchParams).after;
  const page = await loadShared(() =>
    listSharedDataset({ db, token, cursor: typeof after === "string" ? after : undefined }),
  );
  return (
    <>
      <h1 data-testid="shared-title">
        {page.datasetName} <span className="badge">read-only</span>
      </h1>
      {page.images.length === 0 && <p className="muted">This dataset has no images.</p>}
      <div className="thumbs" data-testid="shared-grid">
        {page.images.map((image) => (
          <figure key={image.id} className="thumb" style={{ margin: 0 }} data-testid="shared-thumb">
            <Link href={`/s/${token}/images/${image.id}`}>
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={image.thumbnailUrl} alt={image.fileName} loading="lazy" />
            </Link>
            <figcaption className="caption">
              <div className="name" title={image.fileName}>
                {image.fileName}
              </div>
              <div className="muted">
                {[image.label && `label ${image.label}`, image.prediction && `predicted ${image.prediction}`]
                  .filter(Boolean)
                  .join(" · ")}
              </div>
            </figcaption>
          </figure>
        ))}
      </div>
      {page.nextCursor && (
        <p>
          <Link href={`/s/${token}?after=${encodeURIComponent(page.nextCursor)}`}>More images →</Link>
        </p>
      )}
    </>
  );
}
