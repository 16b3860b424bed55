#!/usr/bin/env bash
# Regenerates resources/icons/llm-relay.ico (the Windows program icon: Explorer, the taskbar,
# shortcuts, the installer) from llm-relay.svg at the sizes Windows asks for. Run it after
# changing the SVG and commit the result; the build only embeds the .ico. Needs rsvg-convert
# (librsvg2-bin) and ImageMagick's convert.
set -euo pipefail
icons=$(cd "$(dirname "$0")/../resources/icons" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pngs=()
for size in 16 20 24 32 40 48 64 256; do
  rsvg-convert -w $size -h $size "$icons/llm-relay.svg" -o "$tmp/$size.png"
  pngs+=("$tmp/$size.png")
done
convert "${pngs[@]}" "$icons/llm-relay.ico"
echo "wrote $icons/llm-relay.ico"
