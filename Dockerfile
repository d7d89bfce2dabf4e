# The hub as a container (see docker-compose.yml and docker-compose.cluster.yml). Production runs
# compiled JavaScript in one `node` process (issue 15): scripts/build.mjs bundles the hub to
# hub/dist/server.js (esbuild; npm packages stay in node_modules) and builds the dashboard (vite), which
# the hub serves at '/' with no setting. No npm or tsx process stays in the container.
FROM node:20-bookworm-slim

# better-sqlite3 (the registry and the embedded store) compiles against Node's headers.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV npm_config_build_from_source=true
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY hub/package.json hub/
COPY agents/package.json agents/
COPY simulators/package.json simulators/
COPY web/package.json web/
COPY test/package.json test/
COPY scripts/build.mjs scripts/
# `prepare` (scripts/build.mjs --if-present) finds no sources yet and builds nothing here.
RUN npm install --no-audit --no-fund

COPY . .
RUN node scripts/build.mjs --web

# Memory (issue 15, BENCHMARKS.md): glibc returns large buffers (scrypt's 4 MiB per device login on
# libuv's threads) to the system instead of keeping them in per-thread arenas. The same as package.json's
# `hub` script (a test checks they agree): with 1,000 devices ~138–149 MiB instead of ~150–172, no CPU cost
# seen. V8's --max-semi-space-size=8 caps the young generation at 2 × 8 MiB instead of the 2 × 16 it grows
# to during boot and under heartbeats: −10 to −14 MiB idle, −14 to −15 MiB heartbeating in two of four
# same-time pairs (±0 in the others), +1 to +6 % CPU per heartbeat. --max-semi-space-size=1 --optimize-for-size would save more but cost
# ~65 % CPU per heartbeat (0.40× instead of 0.57× bare aedes' fan-in): not used.
ENV MALLOC_MMAP_THRESHOLD_=131072
ENV HUB_DATA_DIR=/data \
    HUB_HTTP_PORT=8080 \
    HUB_MQTT_PORT=1883
VOLUME ["/data"]
EXPOSE 8080 1883
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "--max-semi-space-size=8", "hub/dist/server.js"]
