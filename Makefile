# Conveniences; the README's two commands need none of this.
.PHONY: test screenshots

test:
	go test ./...

screenshots:
	scripts/screenshots
