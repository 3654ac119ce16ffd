# Shortcuts; the README's two commands are `cargo install --locked --path .`
# and `scripts/test.sh`.
.PHONY: install test static bench fuzz release

install:
	cargo install --locked --path .

test:
	scripts/test.sh

static:
	scripts/build-static.sh

bench:
	bench/run.sh

fuzz:
	fuzz/smoke.sh

release:
	scripts/release.sh
	scripts/check-release.sh
