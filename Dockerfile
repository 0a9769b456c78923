# syntax=docker/dockerfile:1
# The Assay server image: web UI, API and the assay-server command, run as the unprivileged `node` user.
#   docker build -t assay .
#   docker run -p 8080:8080 -v assay-data:/data assay        # embedded SQLite in the /data volume
# Several instances with PostgreSQL, Redis and a proxy: compose.yaml. Operations: docs/operations.md.
# The build and start steps are deploy/build.sh and deploy/start.sh, which the test suite runs too.

FROM node:20-bookworm-slim AS build
# Only for a platform without a prebuilt better-sqlite3 binary (it then compiles from source).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN sh deploy/build.sh /src /opt/assay

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    ASSAY_HOST=0.0.0.0 \
    ASSAY_PORT=8080 \
    ASSAY_DATA_DIR=/data
COPY --from=build /opt/assay /opt/assay
RUN ln -s /opt/assay/packages/server/bin/assay-server.js /usr/local/bin/assay-server \
 && mkdir -p /data && chown node:node /data
USER node
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
# Liveness only (the process answers); a proxy should route by /readyz, which also checks the database.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.ASSAY_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: open requests finish within ASSAY_SHUTDOWN_GRACE_SECONDS (30); keep docker stop's timeout above it.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/assay/deploy/start.sh"]
