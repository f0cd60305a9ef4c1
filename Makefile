# Conveniences; the README's two commands need none of this.
.PHONY: build test screenshots

# build names the release (the nearest tag, else the commit) in the binary,
# for `outbound version` and the X-Outbound-Version a port node sends.
RELEASE ?= $(shell git describe --tags --always --dirty 2>/dev/null)
build:
	CGO_ENABLED=0 go build -buildvcs=true -trimpath -ldflags "-X main.release=$(RELEASE)" -o outbound ./cmd/outbound

test:
	go test ./...

screenshots:
	scripts/screenshots
