"""idcard package."""
