# zinc — two commands on a fresh machine (as root):
#   make demo    a demo grid: submit, place, checkpoint, migrate across domains
#   make test    every test CI runs
.PHONY: demo test unit bench deps build clean

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

deps:
	@scripts/deps

build:
	@npm run --silent build

clean:
	rm -rf dist build
