#!/usr/bin/env bash
# Double-click (or run) to fill forms in the browser: starts `yoshiki serve`
# on the project folder and opens the browser. Close the window to stop.
#
# Put this file in the project folder (the one with layouts/ and data/),
# beside the yoshiki program or with yoshiki installed. On macOS, rename it
# to serve-start.command so that Finder runs it on a double click.
cd "$(dirname "$0")" || exit 1
# The project: this folder, or the one above if this is its scripts/ folder.
if [ ! -d layouts ] && [ ! -d data ] && { [ -d ../layouts ] || [ -d ../data ]; }; then cd ..; fi
for candidate in ./yoshiki ./target/release/yoshiki "$(command -v yoshiki 2>/dev/null)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    exec "$candidate" serve . --open
  fi
done
echo "yoshiki was not found: put the yoshiki program beside this file, or install it (cargo install --path .)."
read -r -p "Press Enter to close."
