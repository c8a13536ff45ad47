"""What the kiosk and the centre must agree on, in one place below both.

The catalogue model and its parser, config-bundle signing, the ID-hash rule, the wire shape of a
zone and the working-day calendar. ``hall`` imports neither ``kiosk``, ``central`` nor
``drivers`` (nor Qt or an HTTP client), so both sides can stand on it without standing on each
other; tests/test_layers.py keeps it so.
"""
