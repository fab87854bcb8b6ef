#!/usr/bin/env bash
# Splits ytf68/train by person (the name without its _<frame> suffix): a person whose MD5 starts
# with 0, 1 or 2 (about 3/16 of them) is held out for validation (quality fit, turned-head
# checks), the rest may be trained on. Writes the two face lists beside this script.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${1:-../shared/data/ytf68/train}"
: > "$here/train-faces.txt"; : > "$here/heldout-faces.txt"
for f in $(ls "$data" | grep '\.pts$' | sort); do
  name="${f%.pts}"; person="$(echo "$name" | sed -E 's/_[0-9]+[a-z]*$//')"
  case "$(printf '%s' "$person" | md5sum | cut -c1)" in
    0|1|2) echo "$name" >> "$here/heldout-faces.txt" ;;
    *) echo "$name" >> "$here/train-faces.txt" ;;
  esac
done
echo "train $(wc -l < "$here/train-faces.txt") faces, held out $(wc -l < "$here/heldout-faces.txt") faces"
