#!/usr/bin/env bash
# The image every Dockerfile here starts FROM, docker.io/library/debian:bookworm-slim, made
# where no image registry is reachable: debootstrap's minimal Debian 12, slimmed as the
# official slim image is (no docs, man pages or apt lists), imported into podman. It stays in
# podman's storage, so later runs on the same machine reuse it.
set -euo pipefail
IMAGE=docker.io/library/debian:bookworm-slim
podman image exists "$IMAGE" && exit 0
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
echo "Making $IMAGE with debootstrap (once per machine)"
debootstrap --variant=minbase bookworm "$root" >/dev/null
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
  "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
find "$root"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
tar -C "$root" -c . | podman import --change 'CMD ["bash"]' - "$IMAGE" >/dev/null
