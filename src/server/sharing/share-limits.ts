/** Longest life of a share link, in days; links may also never expire (until revoked). */
export const SHARE_LINK_MAX_DAYS = 365;
/** Most images a shared dataset page lists per page. */
export const SHARED_IMAGES_PAGE_SIZE = 60;
