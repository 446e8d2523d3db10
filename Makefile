# zinc — two commands on a fresh machine (as root):
#   make demo    a demo grid: submit, place, checkpoint, migrate across domains
#   make test    every test CI runs
.PHONY: demo test unit bench compat deps build clean

demo:
	@scripts/deps
	@node dist/infra/demo/main.js

test:
	@scripts/test

unit:
	@scripts/deps
	@npx vitest run --project unit

bench:
	@scripts/deps
	@ZINC_BENCH=1 npx vitest run --project bench

# The compatibility suite alone (docs/compat.md); ZINC_COMPAT_DOCS=1 also rewrites its table there.
compat:
	@scripts/deps
	@ZINC_COMPAT=1 npx vitest run test/integration/compat.test.ts

deps:
	@scripts/deps

build:
	@npm run --silent build

clean:
	rm -rf dist build
