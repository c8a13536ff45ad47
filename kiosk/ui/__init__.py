"""Qt Quick screens (QML) and the thin Python objects that expose flows to them."""
