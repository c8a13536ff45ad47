"""Hardware drivers (ID card reader, ESC/POS printer, QR matrices). Never imports Qt."""
