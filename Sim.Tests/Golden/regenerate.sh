#!/usr/bin/env bash
# Regenerates every golden .expected file from its .py scenario with CPython (the semantic
# reference). Never edit an .expected file by hand: change the .py and run this.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-python3}
"$py" -c 'import sys; assert sys.version_info >= (3, 11), "CPython 3.11+ is the reference"'
for scenario in "$here"/Scenarios/*.py; do
  "$py" "$scenario" > "${scenario%.py}.expected"
done
echo "regenerated $(ls "$here"/Scenarios/*.expected | wc -l) golden files with $("$py" --version)"
