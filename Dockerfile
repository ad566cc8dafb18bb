# syntax=docker/dockerfile:1
# Production image from Next.js' standalone output; see docs/deploying.md, "Docker".
#   docker build -t connected-accounts .                              the server (last stage, the default)
#   docker build --target migrate -t connected-accounts-migrate .     `prisma migrate deploy`, once per release
#   docker run … connected-accounts-migrate npm run worker            the background sweep, a second process
ARG NODE_IMAGE=node:24-bookworm-slim

# Dependencies, dev dependencies included: the build needs TypeScript and Tailwind, the migrate
# target the Prisma CLI. `--ignore-scripts` skips the dependencies' install scripts (Prisma's engine
# download is not needed with the driver adapter; package.json's allowScripts says so to npm 11
# only, and a NODE_IMAGE with an older npm would run them); the project's own postinstall then applies patches/ and generates
# the Prisma client, which loads prisma.config.ts and what it imports (lib/database-adapter.ts and its
# three neighbours).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json prisma.config.ts ./
COPY patches ./patches
COPY prisma ./prisma
COPY lib/database-adapter.ts lib/database-fault.ts lib/database-fault-line.ts lib/database-url.ts ./lib/
RUN npm ci --ignore-scripts --no-audit --no-fund && npm run postinstall

# `next build` reads no secrets: the environment is checked when the server starts.
FROM deps AS build
COPY . .
RUN NEXT_OUTPUT=standalone npm run build

# Applies the committed migrations and exits; give it a direct (not pooled) DATABASE_URL. With the
# sources and all dependencies it also runs the maintenance scripts, e.g. `npm run tokens:reencrypt`.
FROM deps AS migrate
COPY . .
USER node
CMD ["node_modules/.bin/prisma", "migrate", "deploy"]

# The server: .next/standalone holds server.js, the node_modules it traced, and the static files
# (and public/, if any) that `npm run build` copies in.
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0
COPY --from=build --chown=node:node /app/.next/standalone ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
