# syntax=docker/dockerfile:1
# Node 24 is the current LTS (Node 20 left support in April 2026).
# Build stage: install every dependency once, type-check and compile src/ into dist/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# Runtime stage: production dependencies only, plain `node` on compiled JavaScript (no transpiler at
# start: faster start, less memory; see docs/deploy.md), run as an unprivileged user.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/var/lib/portal
WORKDIR /app
# No pg_dump here: Debian's client (15) is older than the server (16) and pg_dump refuses that. Backups
# of the PostgreSQL service run pg_dump inside its own container (docs/deploy.md, "Backups").
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/views ./views
COPY --from=build /app/public ./public
COPY --from=build /app/locales ./locales
COPY --from=build /app/migrations ./migrations
RUN mkdir -p /var/lib/portal && chown node:node /var/lib/portal
USER node
EXPOSE 3000
# Liveness only: readiness (/readyz) is for the proxy and compose, which know about dependencies.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server.js"]
