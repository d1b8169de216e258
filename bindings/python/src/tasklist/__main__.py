"""``python -m tasklist``: which package and library this is, and what the environment
configures, with every secret shown as ``***``. Sends nothing."""

from __future__ import annotations

import json
import sys

import tasklist


def main() -> int:
    print(f"tasklist {tasklist.__version__} (Python package)")
    print(f"libtasklist {tasklist.library_version()} at {tasklist.library_path()}")
    try:
        described = tasklist.describe_config(from_env=True)
    except tasklist.TasklistError as error:
        print(f"the environment's configuration is unusable: {error}", file=sys.stderr)
        return 1
    print("configuration from the environment (value, and where it came from):")
    for key, entry in described.items():
        print(f"  {key:<20} {json.dumps(entry['value']):<40} {entry['source']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
