"""printer package."""
