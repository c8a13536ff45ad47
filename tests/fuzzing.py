"""One example budget for every property test of outside input (tests/fuzz/README.md).

CI runs each property's own few hundred examples; ``FUZZ_EXAMPLES=5000`` turns every property
into a long campaign at once. No example database: each run starts from fresh randomness.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))


def fuzz_settings(default_examples: int) -> settings:
    """Hypothesis settings: ``default_examples`` in CI, ``FUZZ_EXAMPLES`` when it is set."""
    return settings(max_examples=EXAMPLES or default_examples, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
