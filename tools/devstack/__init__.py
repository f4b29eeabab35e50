"""Brings the local stack up: mock model, API and the SWA emulator."""
